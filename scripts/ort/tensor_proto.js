'use strict';
// Minimal ONNX TensorProto codec (protobuf wire format by hand), enough for the
// backend-test layout (input_K.pb / output_K.pb).
//
// decode(buffer) -> { name, dataType, typeName, dims: number[], data: TypedArray }
// encode({ name, typeName | dataType, dims, data }) -> Buffer  (always raw_data)
//
// `data` is the typed array onnxruntime-node uses for the element type:
//   float32 Float32Array, float64 Float64Array, float16 Uint16Array (raw bits),
//   int8 Int8Array, uint8 Uint8Array, int16 Int16Array, uint16 Uint16Array,
//   int32 Int32Array, uint32 Uint32Array, int64 BigInt64Array,
//   uint64 BigUint64Array, bool Uint8Array (0/1).

const os = require('os');

if (os.endianness() !== 'LE') {
  throw new Error('tensor_proto.js: big-endian hosts are not supported (raw_data is little-endian)');
}

// TensorProto field numbers.
const F_DIMS = 1, F_DATA_TYPE = 2, F_SEGMENT = 3, F_FLOAT_DATA = 4, F_INT32_DATA = 5,
  F_STRING_DATA = 6, F_INT64_DATA = 7, F_NAME = 8, F_RAW_DATA = 9, F_DOUBLE_DATA = 10,
  F_UINT64_DATA = 11, F_EXTERNAL_DATA = 13, F_DATA_LOCATION = 14;

// ONNX TensorProto.DataType -> ORT type name, byte size, typed array, and
// which repeated field holds the values when raw_data is absent.
const TYPES = {
  1: { name: 'float32', size: 4, Array: Float32Array, field: F_FLOAT_DATA },
  2: { name: 'uint8', size: 1, Array: Uint8Array, field: F_INT32_DATA },
  3: { name: 'int8', size: 1, Array: Int8Array, field: F_INT32_DATA },
  4: { name: 'uint16', size: 2, Array: Uint16Array, field: F_INT32_DATA },
  5: { name: 'int16', size: 2, Array: Int16Array, field: F_INT32_DATA },
  6: { name: 'int32', size: 4, Array: Int32Array, field: F_INT32_DATA },
  7: { name: 'int64', size: 8, Array: BigInt64Array, field: F_INT64_DATA },
  9: { name: 'bool', size: 1, Array: Uint8Array, field: F_INT32_DATA },
  10: { name: 'float16', size: 2, Array: Uint16Array, field: F_INT32_DATA },
  11: { name: 'float64', size: 8, Array: Float64Array, field: F_DOUBLE_DATA },
  12: { name: 'uint32', size: 4, Array: Uint32Array, field: F_UINT64_DATA },
  13: { name: 'uint64', size: 8, Array: BigUint64Array, field: F_UINT64_DATA },
};
const UNSUPPORTED = { 0: 'UNDEFINED', 8: 'STRING', 14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16' };
const TYPE_BY_NAME = {};
for (const [code, t] of Object.entries(TYPES)) TYPE_BY_NAME[t.name] = Number(code);

function typeLabel(code) {
  return TYPES[code] ? TYPES[code].name : (UNSUPPORTED[code] || `data_type ${code}`);
}

// ---- reading -------------------------------------------------------------

class Reader {
  constructor(buf) { this.buf = buf; this.pos = 0; }
  eof() { return this.pos >= this.buf.length; }
  byte() {
    if (this.pos >= this.buf.length) throw new Error('truncated protobuf message');
    return this.buf[this.pos++];
  }
  // Unsigned 64-bit varint as BigInt.
  varintBig() {
    let result = 0n, shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new Error('malformed varint');
  }
  // Varint as a JS number when it fits in 28 bits (fast path), else via BigInt.
  varintNum() {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.byte();
      result |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return result >>> 0;
    }
    this.pos = start;
    const v = this.varintBig();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`varint ${v} too large`);
    return Number(v);
  }
  bytes(n) {
    if (this.pos + n > this.buf.length) throw new Error('truncated protobuf message');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  lengthDelimited() { return this.bytes(this.varintNum()); }
  skip(wireType) {
    switch (wireType) {
      case 0: this.varintBig(); break;
      case 1: this.bytes(8); break;
      case 2: this.lengthDelimited(); break;
      case 5: this.bytes(4); break;
      default: throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
  }
}

// Collects the values of a repeated scalar field, packed or not.
// kind: 'varint' (BigInt values), 'f32', 'f64'.
function readRepeated(r, wireType, kind, out) {
  if (wireType === 2) {
    const sub = new Reader(r.lengthDelimited());
    if (kind === 'f32') {
      if (sub.buf.length % 4) throw new Error('packed float_data length not a multiple of 4');
      for (let i = 0; i < sub.buf.length; i += 4) out.push(sub.buf.readFloatLE(i));
    } else if (kind === 'f64') {
      if (sub.buf.length % 8) throw new Error('packed double_data length not a multiple of 8');
      for (let i = 0; i < sub.buf.length; i += 8) out.push(sub.buf.readDoubleLE(i));
    } else {
      while (!sub.eof()) out.push(sub.varintBig());
    }
  } else if (kind === 'f32' && wireType === 5) {
    out.push(r.bytes(4).readFloatLE(0));
  } else if (kind === 'f64' && wireType === 1) {
    out.push(r.bytes(8).readDoubleLE(0));
  } else if (kind === 'varint' && wireType === 0) {
    out.push(r.varintBig());
  } else {
    throw new Error(`unexpected wire type ${wireType} for a repeated ${kind} field`);
  }
}

function decode(buf) {
  if (!Buffer.isBuffer(buf)) buf = Buffer.from(buf);
  const r = new Reader(buf);
  const dims = [];
  let dataType = null, name = '', raw = null, dataLocation = 0, hasExternal = false;
  const floatData = [], int32Data = [], int64Data = [], doubleData = [], uint64Data = [];
  let hasStrings = false, hasSegment = false;

  while (!r.eof()) {
    const key = r.varintNum();
    const field = Math.floor(key / 8), wt = key & 7;
    switch (field) {
      case F_DIMS: {
        const vals = [];
        readRepeated(r, wt, 'varint', vals);
        for (const v of vals) {
          const s = BigInt.asIntN(64, v);
          if (s < 0n || s > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`invalid dimension ${s}`);
          dims.push(Number(s));
        }
        break;
      }
      case F_DATA_TYPE:
        if (wt !== 0) throw new Error('data_type has wrong wire type');
        dataType = Number(BigInt.asIntN(32, r.varintBig()));
        break;
      case F_SEGMENT: r.skip(wt); hasSegment = true; break;
      case F_FLOAT_DATA: readRepeated(r, wt, 'f32', floatData); break;
      case F_INT32_DATA: readRepeated(r, wt, 'varint', int32Data); break;
      case F_STRING_DATA: r.skip(wt); hasStrings = true; break;
      case F_INT64_DATA: readRepeated(r, wt, 'varint', int64Data); break;
      case F_NAME:
        if (wt !== 2) throw new Error('name has wrong wire type');
        name = r.lengthDelimited().toString('utf8');
        break;
      case F_RAW_DATA:
        if (wt !== 2) throw new Error('raw_data has wrong wire type');
        raw = r.lengthDelimited();
        break;
      case F_DOUBLE_DATA: readRepeated(r, wt, 'f64', doubleData); break;
      case F_UINT64_DATA: readRepeated(r, wt, 'varint', uint64Data); break;
      case F_EXTERNAL_DATA: r.skip(wt); hasExternal = true; break;
      case F_DATA_LOCATION:
        if (wt !== 0) throw new Error('data_location has wrong wire type');
        dataLocation = Number(r.varintBig());
        break;
      default: r.skip(wt); // doc_string (12) and anything unknown
    }
  }

  const label = name ? `tensor '${name}'` : 'tensor';
  if (dataLocation === 1 || hasExternal) {
    throw new Error(`${label} uses external data (data_location=EXTERNAL), which is not supported; ` +
      'save the tensor with its data inline');
  }
  if (hasSegment) throw new Error(`${label} is segmented, which is not supported`);
  if (dataType === null) throw new Error(`${label} has no data_type`);
  const t = TYPES[dataType];
  if (!t) throw new Error(`${label} has unsupported element type ${typeLabel(dataType)}`);
  if (hasStrings) throw new Error(`${label} has string_data, which is not supported`);

  const numel = dims.reduce((a, b) => a * b, 1);
  let data;
  if (raw !== null) {
    if (raw.length !== numel * t.size) {
      throw new Error(`${label}: raw_data has ${raw.length} bytes, expected ${numel * t.size} ` +
        `(${numel} x ${t.name}, dims [${dims.join(', ')}])`);
    }
    const copy = new Uint8Array(raw.length); // aligned copy
    copy.set(raw);
    data = new t.Array(copy.buffer, 0, numel);
  } else {
    const src = { [F_FLOAT_DATA]: floatData, [F_INT32_DATA]: int32Data, [F_INT64_DATA]: int64Data,
      [F_DOUBLE_DATA]: doubleData, [F_UINT64_DATA]: uint64Data }[t.field];
    if (src.length !== numel) {
      throw new Error(`${label}: has ${src.length} values for ${t.name}, expected ${numel} ` +
        `(dims [${dims.join(', ')}])`);
    }
    data = new t.Array(numel);
    for (let i = 0; i < numel; i++) {
      const v = src[i];
      switch (t.name) {
        case 'float32': case 'float64': data[i] = v; break;
        case 'int64': data[i] = BigInt.asIntN(64, v); break;
        case 'uint64': data[i] = BigInt.asUintN(64, v); break;
        case 'uint32': data[i] = Number(BigInt.asUintN(32, v)); break;
        case 'bool': data[i] = BigInt.asIntN(64, v) !== 0n ? 1 : 0; break;
        // float16 bits, (u)int8/16/32: stored as int32 varints; the typed array wraps.
        default: data[i] = Number(BigInt.asIntN(32, v));
      }
    }
  }
  return { name, dataType, typeName: t.name, dims, data };
}

// ---- writing -------------------------------------------------------------

function varintBytes(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Buffer.from(out);
}

function key(field, wireType) { return varintBytes(field * 8 + wireType); }

function encode({ name, typeName, dataType, dims, data }) {
  if (dataType === undefined) {
    dataType = TYPE_BY_NAME[typeName];
    if (dataType === undefined) throw new Error(`cannot encode element type '${typeName}'`);
  }
  const t = TYPES[dataType];
  if (!t) throw new Error(`cannot encode element type ${typeLabel(dataType)}`);
  const numel = dims.reduce((a, b) => a * b, 1);
  if (!ArrayBuffer.isView(data) || data.length !== numel) {
    throw new Error(`cannot encode ${name || 'tensor'}: expected ${numel} ${t.name} values ` +
      `for dims [${dims.join(', ')}], got ${data && data.length}`);
  }
  let raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (raw.length !== numel * t.size) {
    // e.g. bool given as something wider than a byte
    if (t.name === 'bool') raw = Buffer.from(Array.from(data, (v) => (v ? 1 : 0)));
    else throw new Error(`cannot encode ${name || 'tensor'}: ${raw.length} bytes for ${numel} x ${t.name}`);
  }
  const parts = [];
  for (const d of dims) parts.push(key(F_DIMS, 0), varintBytes(d)); // proto2: unpacked
  parts.push(key(F_DATA_TYPE, 0), varintBytes(dataType));
  if (name) {
    const nb = Buffer.from(name, 'utf8');
    parts.push(key(F_NAME, 2), varintBytes(nb.length), nb);
  }
  parts.push(key(F_RAW_DATA, 2), varintBytes(raw.length), raw);
  return Buffer.concat(parts);
}

module.exports = { decode, encode, TYPES, TYPE_BY_NAME, typeLabel };
