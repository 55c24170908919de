"""The layers of Package.swift hold in the code: a file imports only what its target depends on
directly (SwiftPM would let it import a dependency's dependencies, C modules included), and the
core imports no C module and no adapter."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Modules of the toolchain and of the packages every target may use.
SYSTEM = {"Foundation", "FoundationEssentials", "FoundationXML", "Glibc", "Synchronization", "Dispatch", "Testing"}

def targets() -> dict[str, set[str]]:
    """Each target of Package.swift and the modules it depends on directly."""
    text = (REPO / "Package.swift").read_text()
    found = {}
    starts = list(re.finditer(r'\.(?:target|executableTarget|testTarget|systemLibrary)\(\s*name: "(\w+)"', text))
    for index, match in enumerate(starts):
        name = match.group(1)
        body = text[match.end():starts[index + 1].start() if index + 1 < len(starts) else len(text)]
        deps = re.search(r"dependencies: \[(.*?)\]\s*[,)]", body, re.S)
        names = set()
        if deps:
            names |= set(re.findall(r'^\s*"(\w+)"', deps.group(1), re.M))
            names |= set(re.findall(r'\.product\(name: "(\w+)"', deps.group(1)))
        found[name] = names
    return found

def imports(folder: Path) -> dict[Path, set[str]]:
    return {path: set(re.findall(r"^(?:@testable )?import (\w+)", path.read_text(), re.M)) for path in folder.rglob("*.swift")}

def test_every_file_imports_only_what_its_target_depends_on():
    declared = targets()
    assert {"TasterCore", "TasterSupport", "TasterHTTP", "TasterMongo", "TasterPostgres", "TasterS3", "TasterKubernetes", "taster"} <= set(declared)
    problems = []
    for name, dependencies in declared.items():
        folder = REPO / ("Tests" if name.endswith("Tests") else "Sources") / name
        for path, modules in imports(folder).items():
            extra = modules - dependencies - SYSTEM - {name}
            if extra:
                problems.append(f"{path.relative_to(REPO)} imports {sorted(extra)}, not a dependency of {name}")
    assert not problems, "\n".join(problems)

def test_the_core_imports_no_c_module_and_no_adapter():
    core = targets()["TasterCore"]
    # swift-crypto's two products: Crypto, and CryptoExtras for PBKDF2 (the evidence key).
    assert core <= {"TasterSupport", "Logging", "Crypto", "CryptoExtras"}, core
    for path, modules in imports(REPO / "Sources" / "TasterCore").items():
        assert not {m for m in modules if m.startswith("TasterC") and m != "TasterCore"}, path
        assert not modules & {"TasterHTTP", "TasterMongo", "TasterPostgres", "TasterS3", "TasterKubernetes", "TasterNotify",
                               "TasterMetrics", "TasterSettings"}, path
