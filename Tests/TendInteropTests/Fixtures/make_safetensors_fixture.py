"""Writes python_all_dtypes.safetensors by hand, following the published format (not the
safetensors package): u64 LE header size, JSON header padded with spaces to 8 bytes, data.
Run once; the bytes are committed so tests never need Python."""
import json, struct
import numpy as np

tensors = [
    ("f64", "F64", np.array([[1.5, -2.25], [1e-3, 3e5]], dtype="<f8")),
    ("f32", "F32", np.array([0.1, -0.2, 0.3], dtype="<f4")),
    ("f16", "F16", np.array([1.0, -2.0, 0.5, 65504.0, 2.0**-24], dtype="<f2")),
    ("bf16", "BF16", (np.array([1.0, -3.5, 0.15625], dtype="<f4").view("<u4") >> 16).astype("<u2")),
    ("i64", "I64", np.array([-(2**40), 7], dtype="<i8")),
    ("i32", "I32", np.array([[-5, 6], [7, -8]], dtype="<i4")),
    ("i16", "I16", np.array([-300, 300], dtype="<i2")),
    ("i8", "I8", np.array([-128, 0, 127], dtype="<i1")),
    ("u8", "U8", np.array([0, 200, 255], dtype="<u1")),
    ("bool", "BOOL", np.array([True, False, True], dtype="bool")),
]
header, data = {"__metadata__": {"format": "pt", "source": "hand-written numpy"}}, b""
for name, dtype, arr in tensors:
    raw = arr.tobytes()
    header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
h = json.dumps(header).encode()  # Python's default separators: ", " and ": "
h += b" " * (-len(h) % 8)
with open("python_all_dtypes.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + data)
