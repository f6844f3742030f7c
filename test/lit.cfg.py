# lit configuration of Mote's tests: tools on PATH and substitutions for models and generators.
import os

import lit.formats

config.name = "Mote"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "unit"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mote_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.mote_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])

config.substitutions.append(("%python", config.python))
config.substitutions.append(("%models", config.mote_models_dir))
config.substitutions.append(("%npm", config.mote_npm_dir))
config.substitutions.append(("%shared", config.mote_shared_dir))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))

# `%limit_address_space_1g cmd`: cmd within 1 GiB of address space (ulimit -v). AddressSanitizer reserves
# terabytes of shadow memory up front, so a -DMOTE_SANITIZE=ON build runs cmd without the limit (and
# ASan's own allocator checks stand in for it).
if config.mote_sanitize:
    config.available_features.add("sanitizer")
    config.substitutions.append(("%limit_address_space_1g", "true &&"))
else:
    config.substitutions.append(("%limit_address_space_1g", "ulimit -v 1048576 &&"))
