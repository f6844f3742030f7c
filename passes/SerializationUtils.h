// The serialization factor of an oversized 2-D convolution: into how many slices, along which axis,
// each reading and writing what, so that every slice fits a target's max_tensor_bytes (pure arithmetic).
#ifndef MOTE_PASSES_SERIALIZATIONUTILS_H
#define MOTE_PASSES_SERIALIZATIONUTILS_H

#include <cstdint>
#include <optional>
#include <vector>

namespace mote {

/// The shape of an NCHW 2-D convolution: input [batch, inChannels, inHeight, inWidth], weight
/// [outChannels, inChannels / group, kernelHeight, kernelWidth].
struct ConvGeometry {
  int64_t batch = 1, inChannels = 1, inHeight = 1, inWidth = 1;
  int64_t outChannels = 1, kernelHeight = 1, kernelWidth = 1;
  int64_t strideH = 1, strideW = 1;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int64_t dilationH = 1, dilationW = 1;
  int64_t group = 1;

  int64_t outHeight() const;
  int64_t outWidth() const;
  int64_t inputElements() const { return batch * inChannels * inHeight * inWidth; }
  int64_t outputElements() const { return batch * outChannels * outHeight() * outWidth(); }
  int64_t weightElements() const { return outChannels * (inChannels / group) * kernelHeight * kernelWidth; }
};

enum class SerializationAxis {
  None,     ///< The convolution fits as it is.
  Height,   ///< Slices of output rows, each reading its input rows with the halo (concat on axis 2).
  Channels, ///< Slices of output channels and of the weight and bias (concat on axis 1).
};

/// One convolution of a serialized sequence.
struct ConvSlice {
  /// Output rows (Height) or output channels (Channels) it computes: [outBegin, outEnd).
  int64_t outBegin = 0, outEnd = 0;
  /// Input rows (Height) or input channels (Channels) it reads: [inBegin, inEnd). A Channels slice of a
  /// group == 1 convolution reads every input channel.
  int64_t inBegin = 0, inEnd = 0;
  /// Height: the padding the slice's convolution adds above and below its input rows; nonzero only
  /// where the slice reaches past the real border of the input.
  int64_t padTop = 0, padBottom = 0;
  /// Channels: the `group` of the slice's convolution (whole groups per slice).
  int64_t group = 1;
  /// What the slice's kernel touches: its input, output and weight, in bytes.
  int64_t inputBytes = 0, outputBytes = 0, weightBytes = 0;
  /// Channels slices of a two-level plan: the factor of the slice's own (single-axis) plan, which cuts
  /// it again; 1 if the slice fits as it is.
  int64_t innerFactor = 1;
};

struct SerializationPlan {
  SerializationAxis axis = SerializationAxis::None;
  /// The number of slices (1 for None).
  int64_t factor = 1;
  /// In execution order; they cover the output once along the axis. Empty for None.
  std::vector<ConvSlice> slices;
  /// The whole convolution's tensors, in bytes: what forced the serialization.
  int64_t inputBytes = 0, outputBytes = 0, weightBytes = 0;

  /// How many convolutions run in the end: the factor, or the sum of the inner factors of a two-level
  /// plan.
  int64_t convolutions() const;
};

/// How `extent` items are shared by `factor` slices: the first `extent % factor` slices take one more
/// than the others, so that sizes differ by at most one and the largest is ceil(extent / factor).
std::vector<std::pair<int64_t, int64_t>> evenRanges(int64_t extent, int64_t factor);

/// The `factor` slices along `axis` (Height or Channels), or nullopt if that split cannot be expressed
/// (more slices than rows or channels; a grouped convolution cut inside a group; a slice of rows that
/// would read no input row at all, only padding).
std::optional<std::vector<ConvSlice>> sliceConv(const ConvGeometry &g, SerializationAxis axis, int64_t factor,
                                                int64_t elementBytes);

/// The convolution a slice computes, as a geometry of its own (its input rows with their padding, or
/// its input and output channels and groups).
ConvGeometry sliceGeometry(const ConvGeometry &g, SerializationAxis axis, const ConvSlice &slice);

/// The smallest serialization of `g` in which every convolution's input, output and weight is at most
/// `maxBytes` (elements x `elementBytes`):
///  - axis None (factor 1) if the convolution already fits or `maxBytes` <= 0 (no limit);
///  - else the smallest factor along one axis, trying 2, 3, ... and at each, height before channels;
///  - else, when neither axis alone can (the input is too big for channel slices and the weight or a
///    row's output too big for row slices), a two-level plan: channel slices, each cut again by its own
///    single-axis plan (`innerFactor`), with the fewest convolutions in all (ties: fewer channel slices);
///  - nullopt if none of these fits.
std::optional<SerializationPlan> planConvSerialization(const ConvGeometry &g, int64_t maxBytes,
                                                       int64_t elementBytes);

} // namespace mote

#endif // MOTE_PASSES_SERIALIZATIONUTILS_H
