#!/usr/bin/python3
"""Writes the .pth fixtures of PthReaderTest with Debian's python3-torch.

Run from the repository root:  /usr/bin/python3 core/src/test/python/make_pth_fixtures.py
Outputs (all tiny) go to core/src/test/resources/fixtures/pth/.
"""
import io
import os
import pickle
import zipfile

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "pth")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(7)

model = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(12, 4))
model.train()
model(torch.randn(2, 2, 4, 4))  # updates running stats and num_batches_tracked
state = model.state_dict()
# Extra entries that exercise the reader: a transposed (non-contiguous) view, two views of one storage,
# half, bfloat16, float64 and int32 tensors.
base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
state["extra.transposed"] = base.t()
state["extra.row1"] = base[1]
state["extra.half"] = torch.tensor([0.5, -2.0, 65504.0], dtype=torch.float16)
state["extra.bf16"] = torch.tensor([1.0, -3.5, 1e30], dtype=torch.bfloat16)
state["extra.double"] = torch.tensor([[1.25, -2.5]], dtype=torch.float64)
state["extra.int"] = torch.tensor([1, -2, 3], dtype=torch.int32)
torch.save(state, os.path.join(OUT, "tiny_state.pth"))
# A training checkpoint wrapping the weights.
torch.save({"epoch": 3, "state_dict": model.state_dict()}, os.path.join(OUT, "checkpoint.pth"))
# The expected values, flattened, as .npy files in one .npz-like folder of text for the test.
with open(os.path.join(OUT, "tiny_state_expected.txt"), "w") as f:
    for k, v in state.items():
        t = v.to(torch.float64).contiguous().reshape(-1).numpy()
        f.write(k + "\t" + str(v.dtype).replace("torch.", "") + "\t" + ",".join(str(d) for d in v.shape) + "\t"
                + ",".join(repr(float(x)) for x in t) + "\n")


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


# A hostile archive: same layout, but data.pkl calls os.system.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("evil/data.pkl", pickle.dumps({"w": Evil()}, protocol=2))
    z.writestr("evil/version", "3\n")
with open(os.path.join(OUT, "evil.pth"), "wb") as f:
    f.write(buf.getvalue())
# A legacy (non-zip) file.
torch.save({"w": torch.ones(2)}, os.path.join(OUT, "legacy.pth"), _use_new_zipfile_serialization=False)
print("wrote", sorted(os.listdir(OUT)))
