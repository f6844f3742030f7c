// Node attributes checked against ONNX's operator schemas (SchemaCheck.h).
#include "frontend/SchemaCheck.h"

#include "onnx/defs/schema.h"

#include <algorithm>

namespace mote {

namespace {

std::string attributeTypeName(onnx::AttributeProto::AttributeType type) {
  return onnx::AttributeProto::AttributeType_Name(type);
}

} // namespace

std::string checkNodeSchema(const onnx::NodeProto &node, llvm::StringRef domain, int64_t opset) {
  for (const auto &a : node.attribute())
    if (a.name().empty())
      return "an attribute has no name";
  for (int i = 0; i < node.attribute_size(); ++i)
    for (int j = 0; j < i; ++j)
      if (node.attribute(i).name() == node.attribute(j).name())
        return "attribute '" + node.attribute(i).name() + "' is given twice";
  if (!domain.empty()) // ONNX's registry has no schemas of other domains; their handlers check arity
    return "";
  const auto &ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto range = ranges.find(onnx::ONNX_DOMAIN);
  if (range == ranges.end() || opset > range->second.second)
    return "";
  const onnx::OpSchema *schema =
      onnx::OpSchemaRegistry::Schema(node.op_type(), static_cast<int>(opset), onnx::ONNX_DOMAIN);
  if (!schema)
    return "";
  // Input and output counts as ONNX's checker counts them (empty names of skipped optionals included).
  // Too few inputs reads like a handler's missing-input error; too many has its own message.
  if (node.input_size() < schema->min_input())
    return "input " + std::to_string(node.input_size()) + " is required but missing";
  if (node.input_size() > schema->max_input())
    return "has " + std::to_string(node.input_size()) + " inputs; " + node.op_type() + " takes at most " +
           std::to_string(schema->max_input());
  if (node.output_size() < schema->min_output())
    return "output " + std::to_string(node.output_size()) + " is required but missing";
  if (node.output_size() > schema->max_output())
    return "has " + std::to_string(node.output_size()) + " outputs; " + node.op_type() + " gives at most " +
           std::to_string(schema->max_output());
  const auto &defined = schema->attributes();
  for (const auto &a : node.attribute()) {
    auto it = defined.find(a.name());
    if (it == defined.end())
      return "'" + a.name() + "' is not an attribute of " + node.op_type() + " (opset " +
             std::to_string(schema->since_version()) + " schema)";
    // A reference to a function's attribute has no value of its own to check.
    if (!a.ref_attr_name().empty())
      continue;
    if (a.type() != it->second.type)
      return "attribute '" + a.name() + "' is " + attributeTypeName(a.type()) + ", " + node.op_type() +
             " expects " + attributeTypeName(it->second.type);
  }
  for (const auto &[name, attribute] : defined)
    if (attribute.required &&
        std::none_of(node.attribute().begin(), node.attribute().end(), [&](const auto &a) { return a.name() == name; }))
      return "the required attribute '" + name + "' is missing";
  return "";
}

} // namespace mote
