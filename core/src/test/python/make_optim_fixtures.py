# Generates PyTorch reference numbers for the optimiser and LR-scheduler tests
# (core/src/test/resources/fixtures/optim/*.json); run with Debian's torch 1.13: python3 make_optim_fixtures.py
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "optim")
STEPS = 5
SHAPES = {"p0": (2, 3), "p1": (3,)}


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def problem(dtype):
    """Fixed initial values and a fixed gradient sequence, independent of the trajectory."""
    g = torch.Generator().manual_seed(1234)
    init = {k: torch.randn(s, generator=g, dtype=torch.float64).to(dtype) for k, s in SHAPES.items()}
    grads = [{k: torch.randn(s, generator=g, dtype=torch.float64).to(dtype) for k, s in SHAPES.items()} for _ in range(STEPS)]
    return init, grads


# name -> (dtype, constructor, p1 skipped at this step index or None)
CONFIGS = {
    "sgd_plain": (torch.float64, lambda ps: torch.optim.SGD(ps, lr=0.1), None),
    "sgd_momentum": (torch.float64, lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01), None),
    "sgd_nesterov": (torch.float64, lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3), 2),
    "sgd_groups": (torch.float64, lambda ps: torch.optim.SGD([{"params": [ps[0]], "momentum": 0.9}, {"params": [ps[1]], "lr": 0.01}], lr=0.1), None),
    "adam": (torch.float64, lambda ps: torch.optim.Adam(ps, lr=0.01), 2),
    "adam_l2_amsgrad": (torch.float64, lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True), None),
    "adamw": (torch.float64, lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1), None),
    "adamw_amsgrad": (torch.float64, lambda ps: torch.optim.AdamW(ps, lr=0.03, eps=1e-6, amsgrad=True), 1),
    "adam_f32": (torch.float32, lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.05), None),
}


def optim_fixtures():
    out = {}
    for dtype_name, dtype in (("f64", torch.float64), ("f32", torch.float32)):
        init, grads = problem(dtype)
        for k in SHAPES:
            out[f"{dtype_name}.init.{k}"] = flat(init[k])
            for t, gs in enumerate(grads):
                out[f"{dtype_name}.grad.{t}.{k}"] = flat(gs[k])
    for name, (dtype, make, skip) in CONFIGS.items():
        init, grads = problem(dtype)
        ps = [init["p0"].clone().requires_grad_(True), init["p1"].clone().requires_grad_(True)]
        opt = make(ps)
        for t in range(STEPS):
            ps[0].grad = grads[t]["p0"].clone()
            ps[1].grad = None if skip == t else grads[t]["p1"].clone()
            opt.step()
            out[f"{name}.step{t}.p0"] = flat(ps[0])
            out[f"{name}.step{t}.p1"] = flat(ps[1])
        for i, p in enumerate(ps):
            for key, v in opt.state[p].items():
                if v is None:
                    continue
                out[f"{name}.state.{i}.{key}"] = flat(v) if v.dim() > 0 else [float(v)]
    return out


def lrs_of(opt):
    return [g["lr"] for g in opt.param_groups]


def run_sched(make, steps, lr=(0.1,)):
    ps = [torch.zeros(1, requires_grad=True) for _ in lr]
    opt = torch.optim.SGD([{"params": [p], "lr": l} for p, l in zip(ps, lr)], lr=lr[0])
    s = make(opt)
    seq = [lrs_of(opt)]
    for _ in range(steps):
        opt.step()
        s.step()
        seq.append(lrs_of(opt))
    return seq


def sched_fixtures():
    S = torch.optim.lr_scheduler
    out = {}
    cases = {
        "steplr": (lambda o: S.StepLR(o, step_size=3, gamma=0.5), 12, (0.1,)),
        "steplr_groups": (lambda o: S.StepLR(o, step_size=2, gamma=0.3), 9, (0.1, 0.02)),
        "multisteplr": (lambda o: S.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.1), 12, (0.5,)),
        "cosine": (lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001), 25, (0.1,)),
        "warm_restarts": (lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.0005), 30, (0.1,)),
        "warm_restarts_mult1": (lambda o: S.CosineAnnealingWarmRestarts(o, T_0=4), 12, (0.2,)),
        "linear": (lambda o: S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=5), 10, (0.1,)),
        "linear_default": (lambda o: S.LinearLR(o), 8, (0.3,)),
        "sequential": (lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=4), S.CosineAnnealingLR(o, T_max=10)], milestones=[4]), 20, (0.1,)),
        "chained": (lambda o: S.ChainedScheduler([S.StepLR(o, step_size=3, gamma=0.5), S.LinearLR(o, start_factor=0.25, total_iters=4)]), 10, (0.1,)),
    }
    for name, (make, steps, lr) in cases.items():
        seq = run_sched(make, steps, lr)
        for gi in range(len(lr)):
            out[f"{name}.g{gi}"] = [row[gi] for row in seq]
    # Fractional epochs: step(epoch) jumps straight to the given position.
    ps = [torch.zeros(1, requires_grad=True)]
    opt = torch.optim.SGD(ps, lr=0.1)
    s = S.CosineAnnealingWarmRestarts(opt, T_0=5, T_mult=2, eta_min=0.0005)
    epochs = [0.5, 1.3, 4.9, 5.0, 7.25, 14.99, 15.0, 20.5, 3.0, 40.0]
    out["warm_restarts_epochs.epochs"] = epochs
    vals = []
    for e in epochs:
        s.step(e)
        vals.append(opt.param_groups[0]["lr"])
    out["warm_restarts_epochs.g0"] = vals
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for fname, data in (("optimizers.json", optim_fixtures()), ("schedulers.json", sched_fixtures())):
        with open(os.path.join(OUT, fname), "w") as f:
            f.write("{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in data.items()) + "\n}\n")


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore")
    main()
