"""Writing outputs atomically, and never over a file the tool was given.

Every output is written to a temporary file beside its destination and renamed into place only
when writing succeeded: a failure, an interrupt or a termination never leaves half a file nor a
stray temporary one. An output path is checked before any work (a folder, a path under a file,
a device, a folder the user cannot write to: each said plainly), and an output may replace none
of the inputs, compared by resolved path and by the file itself (a hard link is the same file).
A symbolic link is written through: the file it points to is replaced, the link is kept.
"""

from __future__ import annotations

import atexit
import errno
import os
import secrets
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from ttkhc_cli.domain.errors import UsageError

# The permissions a new file gets from the user's umask (mkstemp would make it 0600, which other
# users of a shared folder cannot open).
_UMASK = os.umask(0)
os.umask(_UMASK)


_REASONS = {
    errno.ENOENT: "không có thư mục này", errno.EACCES: "không có quyền ghi", errno.EPERM: "không được phép ghi",
    errno.EROFS: "ổ đĩa chỉ cho đọc", errno.ENOSPC: "ổ đĩa hết chỗ trống", errno.EDQUOT: "hết hạn mức dung lượng",
    errno.ENAMETOOLONG: "tên tệp quá dài", errno.EISDIR: "là một thư mục",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục", errno.ELOOP: "liên kết tượng trưng vòng lặp",
    errno.EFBIG: "tệp quá lớn", errno.EIO: "lỗi đọc ghi của ổ đĩa",
}


def reason(exc: OSError) -> str:
    """Why the system refused, in Vietnamese."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def check_output(path: str | Path, inputs: Sequence[str | Path] = (), option: str = "--output") -> Path:
    """The file an output will replace, or a UsageError that says why it cannot be written (a name
    the system refuses, a symbolic link that loops: said, never the library's exception)."""
    try:
        return _check_output(path, inputs, option)
    except RuntimeError:  # Path.resolve on a symbolic-link loop (Python before 3.13)
        raise UsageError(f"{path}: không ghi được tệp (liên kết tượng trưng vòng lặp)") from None
    except OSError as exc:
        raise UsageError(f"{path}: không ghi được tệp ({reason(exc)})") from None


def _check_output(path: str | Path, inputs: Sequence[str | Path] = (), option: str = "--output") -> Path:
    text = str(path)
    if not text.strip():
        raise UsageError("--output cần một tên tệp")
    target = Path(path)
    if str(target.absolute()).startswith(("/dev/", "/proc/", "/sys/")):
        raise UsageError(
            f"{path}: không phải tệp thông thường (thiết bị hoặc đường ống); bỏ --output để in ra màn hình"
        )
    if target.is_symlink():
        target = target.resolve()
    if target.exists() and target.is_dir():
        raise UsageError(f"{path}: là một thư mục; --output cần tên một tệp, ví dụ {Path(path) / 'ket-qua.json'}")
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        raise UsageError(
            f"{path}: không phải tệp thông thường (thiết bị hoặc đường ống); bỏ --output để in ra màn hình"
        )
    parent = target.parent
    for up in (parent, *parent.parents):
        if up.exists():
            if not up.is_dir():
                raise UsageError(f"{path}: {up} là một tệp, không phải thư mục")
            if not os.access(up, os.W_OK | os.X_OK):
                raise UsageError(f"{path}: không có quyền ghi vào thư mục {up}")
            break
    refuse_inputs(target, inputs, option)
    return target


@contextmanager
def atomic_output(path: str | Path, inputs: Sequence[str | Path] = ()) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed into place only if writing succeeds,
    so a failure never leaves a half-written output. Refuses to replace one of the inputs."""
    target = check_output(path, inputs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temporary_beside(target)
    except OSError as exc:
        raise UsageError(f"{path}: không tạo được tệp ({reason(exc)})") from None
    try:
        yield tmp
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        _PENDING.discard(tmp)
    except OSError as exc:
        _drop(tmp)
        raise UsageError(f"{path}: không ghi được tệp ({reason(exc)})") from None
    except BaseException:
        _drop(tmp)
        raise


def _drop(tmp: Path) -> None:
    """Remove a temporary output, and forget its name only once it is gone: a second signal
    during the removal leaves the name for ``remove_pending`` at exit."""
    tmp.unlink(missing_ok=True)
    _PENDING.discard(tmp)


# The temporary outputs of this process not yet renamed into place: a signal may arrive between
# two statements of atomic_output, where its own clean-up cannot see the file; what is left is
# removed when the process exits (``remove_pending``, run at exit by every entry point).
_PENDING: set[Path] = set()


def _temporary_beside(target: Path) -> Path:
    """A new empty file beside ``target`` (hidden, its suffix kept), known to ``_PENDING`` before
    it exists. A name of up to 255 bytes is legal: the temporary one must be no longer."""
    stem = _cut(target.stem, 200 - len(target.suffix.encode()))
    while True:
        tmp = target.parent / f".{stem}.{secrets.token_hex(4)}{target.suffix}"
        _PENDING.add(tmp)  # an error or a signal from here on: the name is removed at the end
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return tmp
        except FileExistsError:  # another's: never removed as ours
            _PENDING.discard(tmp)
        except OSError:
            _PENDING.discard(tmp)
            raise


def remove_pending() -> None:
    """Remove the temporary outputs a signal left behind (see ``_PENDING``)."""
    for tmp in list(_PENDING):
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        _PENDING.discard(tmp)


atexit.register(remove_pending)


def _cut(text: str, size: int) -> str:
    """The longest start of ``text`` within ``size`` bytes of UTF-8 (whole characters)."""
    return text.encode("utf-8")[:max(size, 0)].decode("utf-8", errors="ignore")


def write_atomic(path: str | Path, data: str | bytes, inputs: Sequence[str | Path] = ()) -> None:
    """Write text or bytes through ``atomic_output``."""
    with atomic_output(path, inputs) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def same_place(a: Path, b: Path) -> bool:
    """Two paths that name one file, whether or not it exists yet (however each is spelt: ../,
    a linked folder, letter case where the system ignores it)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
    except (OSError, RuntimeError):
        return os.path.normcase(a.absolute()) == os.path.normcase(b.absolute())


def refuse_inputs(target: Path, inputs: Sequence[str | Path], option: str = "--output") -> None:
    """An output never replaces one of the files it was made from, nor writes into a folder it
    reads (a dataset: its manifest, its parts, a new file its reader would find)."""
    resolved = target.resolve()
    for p in inputs:
        folder = Path(p)
        if folder.is_dir() and resolved.is_relative_to(folder.resolve()):
            raise UsageError(f"{target}: nằm trong thư mục đầu vào {p}; không ghi vào thư mục đang đọc, chọn nơi "
                             f"khác cho {option}")
    if not target.exists():
        return
    for p in inputs:
        try:
            same = Path(p).exists() and (target.resolve() == Path(p).resolve() or os.path.samefile(target, p))
        except OSError:
            continue
        if same:
            raise UsageError(f"{target}: là tệp đầu vào ({p}); không ghi đè, chọn tên tệp khác cho {option}")
