"""The sentence model as an int8 ONNX graph run by ONNX Runtime: exported once from the model's own files,
kept in a cache folder, checked against the model before it is used.

The export runs in a child process, so a process that only serves questions never imports torch (it
keeps about 500 MB of resident memory out of it: 134 MB against 635 MB here) and a crash inside the exporter cannot take the server down.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

ENCODER_ENV = "MINUTES_ENCODER"
CACHE_ENV = "MINUTES_ENCODER_CACHE"
THREADS_ENV = "MINUTES_THREADS"
ONNX_INT8 = "onnx-int8"
TORCH = "torch"
ENCODERS = (ONNX_INT8, TORCH)

# Raised whenever the recipe below changes what it writes, so folders written by an older one are redone.
RECIPE = 2
MODEL_FILE = "model.onnx"
MANIFEST = "manifest.json"
OUTPUT = "sentence_embedding"
# 17 is the first opset with a LayerNormalization operator of its own, which the exporter then writes
# whole rather than as a dozen elementwise nodes; every ONNX Runtime this project can install runs it.
OPSET = 17
# Sentences the fresh export must embed as the torch model does before it is kept. Minutes-like, of
# different lengths, so that a batch of them is padded and the attention mask is exercised.
PROBES = [
    "The committee approved the revised budget for the next financial year.",
    "Apologies were received from two members.",
    "The chief constable reported that response times to 101 calls had improved since March, although the "
    "target of answering 90% of calls within ten minutes was still not being met in the evenings.",
    "Action: the clerk to circulate the minutes.",
    "Q3 overspend £1.2m",
]
# int8 weights move a vector by 0.003-0.02 in cosine (shortest texts most); a broken graph (a mask ignored, a layer dropped)
# moves it by far more than this.
MIN_PROBE_COSINE = 0.97
EXPORT_TIMEOUT_S = 900
STALE_TEMP_S = 24 * 3600


class ExportFailed(Exception):
    """The int8 ONNX encoder cannot be made or read here."""


def requested_encoder(value: str | None = None) -> str:
    """The encoder asked for: the argument, else $MINUTES_ENCODER, else onnx-int8."""
    if value:
        if value not in ENCODERS:
            raise ValueError(f"unknown encoder {value!r}: choose one of {', '.join(ENCODERS)}")
        return value
    env = os.environ.get(ENCODER_ENV, "").strip().lower()
    if env and env not in ENCODERS:
        # A mistyped setting must not stop the page or the nightly run; the warning names the fix.
        log.warning("$%s=%r is not one of %s; using %s", ENCODER_ENV, env, ", ".join(ENCODERS), ONNX_INT8)
        return ONNX_INT8
    return env or ONNX_INT8


def requested_threads(value: int | None = None) -> int | None:
    """Intra-op threads for the encoder: the argument, else $MINUTES_THREADS, else None (the library's own)."""
    if value:
        return max(1, int(value))
    env = os.environ.get(THREADS_ENV, "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            log.warning("$%s=%r is not a number of threads; ignored", THREADS_ENV, env)
    return None


def cache_root() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "minutes" / "encoder"


def cpu_flags() -> set[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("flags", "Features")):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def quantisation() -> dict:
    """Dynamic int8 settings for this CPU, as Optimum's AutoQuantizationConfig names them."""
    flags = cpu_flags()
    if "avx512_vnni" in flags or "avx_vnni" in flags:
        isa = "avx512_vnni" if "avx512_vnni" in flags else "avx_vnni"
    elif "avx512bw" in flags:
        isa = "avx512"
    elif "avx2" in flags:
        isa = "avx2"
    elif "asimd" in flags:
        isa = "arm64"
    else:
        isa = "generic"
    # Without VNNI the x86 u8 x s8 multiply adds pairs into 16 bits and can saturate; 7-bit weights avoid
    # that (ONNX Runtime's advice). VNNI and ARM accumulate in 32 bits and keep the full 8.
    reduce_range = isa in ("avx512", "avx2", "generic")
    return {"isa": isa, "format": "QOperator", "weights": "QInt8", "activations": "QUInt8",
            "weights_symmetric": True, "activations_symmetric": False, "per_channel": True,
            "reduce_range": reduce_range}


def fingerprint(model_path: Path) -> str:
    """Names the model's files by path, size and modification time: cheap enough for every start, and
    changed by any reinstall or edit of the model, which then gets an export of its own."""
    model_path = Path(model_path).resolve()
    h = hashlib.sha256(f"recipe {RECIPE}\0{model_path}\0".encode())
    h.update(json.dumps(quantisation(), sort_keys=True).encode())
    for f in sorted(p for p in model_path.rglob("*") if p.is_file()):
        st = f.stat()
        h.update(f"{f.relative_to(model_path).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def export_folder(name: str, model_path: Path) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name) or "model"
    return cache_root() / f"{safe}-{fingerprint(model_path)[:16]}-int8"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def problem_with(folder: Path, model_path: Path) -> str | None:
    """Why the export in ``folder`` cannot be used, or None when it is whole and made from this model."""
    if not folder.is_dir():
        return "missing"
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        return f"no {MANIFEST}"
    except (OSError, ValueError) as exc:
        return f"{MANIFEST} unreadable ({exc})"
    if manifest.get("fingerprint") != fingerprint(model_path):
        return "made from other model files"
    onnx_file = folder / MODEL_FILE
    try:
        if onnx_file.stat().st_size != manifest.get("bytes") or _sha256(onnx_file) != manifest.get("sha256"):
            return f"{MODEL_FILE} differs from what was written"
    except OSError as exc:
        return f"{MODEL_FILE} unreadable ({exc})"
    return None


def describe(name: str, model_path: Path, encoder: str | None = None) -> dict:
    """What a search in a new process would encode with, without loading anything: for `minutes status`."""
    choice = requested_encoder(encoder)
    out = {"encoder": choice, "export": None, "state": "torch asked for"}
    if choice == TORCH:
        return out
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        out["state"] = "onnxruntime is not installed: torch runs instead"
        return out
    folder = export_folder(name, Path(model_path))
    problem = problem_with(folder, Path(model_path))
    out["export"] = str(folder)
    out["state"] = ("ready" if problem is None else "not exported yet: the first search or ingest makes it"
                    if problem == "missing" else f"to be exported again ({problem})")
    return out


# -- running ------------------------------------------------------------------------------------------

def _pad_token(model_path: Path) -> str | None:
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        try:
            pad = json.loads((model_path / name).read_text()).get("pad_token")
        except (OSError, ValueError):
            continue
        if isinstance(pad, dict):
            pad = pad.get("content")
        if pad:
            return pad
    return None


def load_tokenizer(model_path: Path, max_tokens: int):
    """The model's own fast tokenizer, cut and padded as sentence-transformers does: special tokens
    counted within ``max_tokens``, a batch padded to its longest text."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    tok.enable_truncation(max_length=max_tokens)
    pad = _pad_token(model_path)
    pad_id = tok.token_to_id(pad) if pad else None
    # A padded position is masked out of attention and pooling, so any id serves where none is named.
    tok.enable_padding(pad_id=pad_id or 0, pad_token=pad or "[PAD]")
    return tok


class OnnxEncoder:
    """One ONNX Runtime session over an export folder: texts in, normalised float32 vectors out."""

    def __init__(self, folder: Path, model_path: Path, max_tokens: int, threads: int | None = None):
        import onnxruntime as ort

        self.folder = Path(folder)
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # One graph, run one call at a time: a second inter-op pool would only compete for the same cores.
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Asked for no thread count (the nightly ingest's many batches): one thread a batch and a batch a
        # core, run side by side. A batch of short sentences is too small a matrix to split well across
        # threads; whole batches on separate cores keep every core busy.
        self.parallel = 1 if threads else _cores()
        opts.intra_op_num_threads = threads or 1
        if threads and threads > 1:
            # Spinning workers keep a core busy between calls; on a machine shared with other work that
            # costs the neighbours more than the wake-up latency it saves.
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.threads = threads
        try:
            self.session = ort.InferenceSession(str(self.folder / MODEL_FILE), sess_options=opts,
                                                providers=["CPUExecutionProvider"])
        except Exception as exc:     # ONNX Runtime raises its own classes for a damaged or alien file
            raise ExportFailed(f"ONNX Runtime cannot load {self.folder / MODEL_FILE}: {exc}") from exc
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = load_tokenizer(model_path, max_tokens)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        # Longest first, as sentence-transformers batches: texts of like length pad each other least.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        batches = [order[start:start + batch_size] for start in range(0, len(order), batch_size)]
        if self.parallel > 1 and len(batches) > 1:
            from concurrent.futures import ThreadPoolExecutor

            # ONNX Runtime and the tokenizer release the GIL while they work; a session serves concurrent runs.
            with ThreadPoolExecutor(min(self.parallel, len(batches))) as pool:
                results = list(pool.map(lambda rows: self._run([texts[i] for i in rows]), batches))
        else:
            results = [self._run([texts[i] for i in rows]) for rows in batches]
        out = np.empty((len(texts), results[0].shape[1]), dtype=np.float32)
        for rows, vecs in zip(batches, results):
            out[rows] = vecs
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.ascontiguousarray(out / norms, dtype=np.float32)


    def _run(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(texts)
        feeds = {"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                 "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64)}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.array([e.type_ids for e in enc], dtype=np.int64)
        return self.session.run([OUTPUT], {k: v for k, v in feeds.items() if k in self.inputs})[0]


def _cores() -> int:
    """The cores this process may run on (a container's limit, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def open_int8(name: str, model_path: Path, max_tokens: int, threads: int | None = None) -> OnnxEncoder:
    """The int8 encoder of a model, exported first when the cache has none or a damaged one."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as exc:
        raise ExportFailed(f"{exc.name or exc} is not installed") from exc
    folder = ensure_export(name, model_path)
    try:
        return OnnxEncoder(folder, model_path, max_tokens, threads)
    except ExportFailed as exc:
        log.warning("%s", exc)
        folder = ensure_export(name, model_path, unusable=_written_sha(folder) or "")
        return OnnxEncoder(folder, model_path, max_tokens, threads)


# -- exporting ------------------------------------------------------------------------------------------

def ensure_export(name: str, model_path: Path, unusable: str | None = None) -> Path:
    """The cache folder of the model's int8 export, made (or remade when damaged) if it must be.

    ``unusable``: the sha256 of an export that passed its checks but would not load; it is replaced too.
    Written in a private temporary folder beside the final one and renamed into place, so a crash leaves
    no half-written export under the final name and two processes exporting at once each install a whole
    one: whichever renames second finds a good export there and keeps it.
    """
    model_path = Path(model_path).resolve()
    folder = export_folder(name, model_path)

    def good() -> bool:
        return problem_with(folder, model_path) is None and (unusable is None or _written_sha(folder) != unusable)

    if good():
        return folder
    problem = "it would not load" if unusable else problem_with(folder, model_path)
    if problem != "missing":
        log.warning("int8 encoder in %s: %s; exporting it again", folder, problem)
    root = folder.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportFailed(f"cannot create the encoder cache {root}: {exc}") from exc
    with _export_lock(root / f".{folder.name}.lock"):
        # Whoever held the lock before us may have just installed a good export.
        if good():
            return folder
        _sweep(root)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=root))
        except OSError as exc:
            raise ExportFailed(f"cannot write in the encoder cache {root}: {exc}") from exc
        try:
            log.info("exporting %s to int8 ONNX in %s (once; some seconds)", name, folder)
            started = time.perf_counter()
            run_export(model_path, tmp)
            # mkdtemp's folder is private; the export is not, and the page may run as another user.
            os.chmod(tmp, 0o755)
            _install(tmp, folder, good)
            log.info("int8 encoder ready in %.0f s: %s", time.perf_counter() - started, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    problem = problem_with(folder, model_path)
    if problem is not None:
        raise ExportFailed(f"the export in {folder} is not usable: {problem}")
    return folder


def _written_sha(folder: Path) -> str | None:
    try:
        return json.loads((folder / MANIFEST).read_text()).get("sha256")
    except (OSError, ValueError, AttributeError):
        return None


class _export_lock:
    """One exporter at a time for a folder, across processes; without a lock (a file system that refuses
    one) the renames alone still keep exports whole."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = None

    def __enter__(self):
        from filelock import FileLock, Timeout

        try:
            self.lock = FileLock(str(self.path), timeout=EXPORT_TIMEOUT_S)
            self.lock.acquire()
        except (OSError, Timeout) as exc:
            log.info("exporting without a lock (%s)", exc)
            self.lock = None
        return self

    def __exit__(self, *exc):
        if self.lock is not None:
            self.lock.release()


def _install(tmp: Path, folder: Path, good) -> None:
    trash = None
    if folder.exists():
        if good():
            return                       # another exporter, without the lock, got there first: keep theirs
        trash = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}.old")
        try:
            os.rename(folder, trash)
        except FileNotFoundError:
            trash = None                 # another process moved it first
    try:
        os.rename(tmp, folder)
    except OSError:
        # Another process installed its export between our two renames; it is as good as ours.
        if not folder.exists():
            raise
    finally:
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)


def _sweep(root: Path) -> None:
    """Temporary folders left by exporters that died (a crash, a kill) more than a day ago."""
    now = time.time()
    for p in root.glob(".*"):
        if p.is_dir() and p.name.endswith((".tmp", ".old")):
            try:
                if now - p.stat().st_mtime > STALE_TEMP_S:
                    shutil.rmtree(p, ignore_errors=True)
            except OSError:
                pass


def run_export(model_path: Path, out: Path) -> None:
    """Export in a child interpreter: torch is loaded there and not here, and a crash stays there."""
    env = dict(os.environ)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    here = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cmd = [sys.executable, "-m", "index.encoder", "export", str(model_path), str(out)]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=EXPORT_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExportFailed(f"the exporter did not finish: {exc}") from exc
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
        raise ExportFailed(f"the exporter failed: {lines[-1] if lines else f'exit {proc.returncode}'}")


def export_int8(model_path: Path, out: Path) -> dict:
    """Write ``out``/model.onnx (int8 weights) and its manifest from a sentence-transformers folder."""
    import inspect

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    model_path = Path(model_path).resolve()
    out = Path(out)
    # Attention written out as matmuls and a softmax, not the fused SDPA call: the int8 graph then
    # quantises the attention projections' neighbours the same way, and it measured 1.2x the passages a
    # second of the SDPA trace at the same vectors.
    st = SentenceTransformer(str(model_path), device="cpu", model_kwargs={"attn_implementation": "eager"})
    st.eval()
    first = st[0]
    auto = getattr(first, "auto_model", None)
    if auto is None:
        raise ExportFailed(f"{model_path} does not start with a transformer; only those are exported")
    max_tokens = int(st.max_seq_length or 256)
    takes_types = "token_type_ids" in inspect.signature(auto.forward).parameters

    class Sentence(torch.nn.Module):
        """The whole sentence model from token ids: the transformer, then the folder's own pooling,
        normalisation and any dense layers, so the graph follows modules.json whatever it says."""

        def __init__(self):
            super().__init__()
            self.auto = auto
            self.rest = torch.nn.ModuleList([st[i] for i in range(1, len(st))])

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
            if token_type_ids is not None:
                kwargs["token_type_ids"] = token_type_ids
            hidden = self.auto(**kwargs, return_dict=True).last_hidden_state
            features = {"input_ids": input_ids, "attention_mask": attention_mask, "token_embeddings": hidden}
            for module in self.rest:
                features = module(features)
            return features[OUTPUT]

    tok = load_tokenizer(model_path, max_tokens)
    # A padded batch, so that the traced graph carries the mask through attention and pooling.
    enc = tok.encode_batch(PROBES[:3])
    ids = torch.tensor([e.ids for e in enc], dtype=torch.int64)
    mask = torch.tensor([e.attention_mask for e in enc], dtype=torch.int64)
    args: tuple = (ids, mask)
    names = ["input_ids", "attention_mask"]
    if takes_types:
        args += (torch.tensor([e.type_ids for e in enc], dtype=torch.int64),)
        names.append("token_type_ids")
    dynamic = {n: {0: "batch", 1: "tokens"} for n in names}
    dynamic[OUTPUT] = {0: "batch"}
    fp32 = out / "model.fp32.onnx"
    with torch.no_grad():
        # The TorchScript exporter: it needs neither onnxscript nor an exported program, and BERT-like
        # encoders trace cleanly (no branch depends on the values of the inputs).
        torch.onnx.export(Sentence().eval(), args, str(fp32), dynamo=False, input_names=names,
                          output_names=[OUTPUT], dynamic_axes=dynamic, opset_version=OPSET,
                          do_constant_folding=True)
    q = quantisation()
    quantize_dynamic(str(fp32), str(out / MODEL_FILE), per_channel=q["per_channel"],
                     reduce_range=q["reduce_range"], weight_type=QuantType.QInt8,
                     extra_options={"WeightSymmetric": q["weights_symmetric"],
                                    "ActivationSymmetric": q["activations_symmetric"]})
    fp32.unlink()
    for leftover in out.glob("*.onnx.data"):
        leftover.unlink()

    # The check that decides whether the export is kept: its vectors beside the torch model's.
    want = st.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True)
    got = OnnxEncoder(out, model_path, max_tokens, threads=1).encode(PROBES)
    if got.shape != want.shape:
        raise ExportFailed(f"the export gives vectors of shape {got.shape}, the model {want.shape}")
    cosines = np.sum(got * want, axis=1)
    if float(cosines.min()) < MIN_PROBE_COSINE:
        raise ExportFailed(f"the export's vectors stray from the model's (lowest cosine {cosines.min():.3f})")

    import onnxruntime

    manifest = {
        "model_path": str(model_path), "fingerprint": fingerprint(model_path), "recipe": RECIPE,
        "quantisation": q, "opset": OPSET, "inputs": names, "dim": int(want.shape[1]), "max_tokens": max_tokens,
        "probe_cosine_min": round(float(cosines.min()), 5), "onnxruntime": onnxruntime.__version__,
        "torch": torch.__version__, "bytes": (out / MODEL_FILE).stat().st_size, "sha256": _sha256(out / MODEL_FILE),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    _fsync(out / MODEL_FILE)
    with open(out / MANIFEST, "w") as f:
        json.dump(manifest, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    return manifest


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m index.encoder", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("export", help="Write an int8 export of MODEL into OUT (an empty folder).")
    ex.add_argument("model", type=Path)
    ex.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        manifest = export_int8(args.model, args.out)
    except ExportFailed as exc:
        print(f"ExportFailed: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
