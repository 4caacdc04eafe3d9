#!/usr/bin/env python3
"""Brings CircuitPython's own memorymonitor, in a CircuitPython tree given as the argument, up to
CircuitPython 10's APIs, so that the two modules can be compared. Its sources were last changed
before CircuitPython 9 and no longer compile; these four kinds of edit touch no logic of theirs:

- both make_new functions take the (n_args, n_kw, args) signature;
- AllocationSize's make_new allocates with mp_obj_malloc (m_new_obj lost its type argument);
- AllocationError is defined with MP_DEFINE_CONST_OBJ_TYPE, as the type struct is now slotted,
  and <stdarg.h> is included for the va_list its raise function takes;
- the bytes per block come from MICROPY_BYTES_PER_GC_BLOCK, as gc.c's BYTES_PER_BLOCK is private.

Each edit must match exactly once; otherwise the tree is not the one this was written against,
and the script stops, naming the file. A tree already edited is left as it is.
"""

import pathlib
import sys

OLD_SIGNATURE = "size_t n_args, const mp_obj_t *all_args, mp_map_t *kw_args)"
NEW_SIGNATURE = "size_t n_args, size_t n_kw, const mp_obj_t *all_args)"

EDITS = {
    "shared-bindings/memorymonitor/AllocationAlarm.c": [(OLD_SIGNATURE, NEW_SIGNATURE)],
    "shared-bindings/memorymonitor/AllocationSize.c": [
        (OLD_SIGNATURE, NEW_SIGNATURE),
        ("m_new_obj(memorymonitor_allocationsize_obj_t,", "mp_obj_malloc(memorymonitor_allocationsize_obj_t,"),
    ],
    "shared-bindings/memorymonitor/__init__.h": [
        (
            """    const mp_obj_type_t mp_type_memorymonitor_##exc_name = { \\
        { &mp_type_type }, \\
        .name = MP_QSTR_##exc_name, \\
        .print = memorymonitor_exception_print, \\
        .make_new = mp_obj_exception_make_new, \\
        .attr = mp_obj_exception_attr, \\
        .parent = &mp_type_##base_name, \\
    };""",
            """    MP_DEFINE_CONST_OBJ_TYPE(mp_type_memorymonitor_##exc_name, MP_QSTR_##exc_name, MP_TYPE_FLAG_NONE, \\
    print, memorymonitor_exception_print, \\
    make_new, mp_obj_exception_make_new, \\
    attr, mp_obj_exception_attr, \\
    parent, &mp_type_##base_name);""",
        )
    ],
    "shared-bindings/memorymonitor/__init__.c": [("#include <stdint.h>\n", "#include <stdarg.h>\n#include <stdint.h>\n")],
    "shared-module/memorymonitor/AllocationSize.c": [("return BYTES_PER_BLOCK;", "return MICROPY_BYTES_PER_GC_BLOCK;")],
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: circuitpython-own.py CIRCUITPYTHON_TREE")
    tree = pathlib.Path(sys.argv[1])
    for name, edits in EDITS.items():
        path = tree / name
        if not path.is_file():
            sys.exit(f"circuitpython-own: {path} is missing: is {tree} a CircuitPython tree?")
        text = path.read_text()
        for old, new in edits:
            if new in text:
                continue
            if text.count(old) != 1:
                sys.exit(f"circuitpython-own: {path} is not as CircuitPython 10 has it (looked for {old.splitlines()[0]!r})")
            text = text.replace(old, new)
        path.write_text(text)
    print(f"circuitpython-own: CircuitPython's own memorymonitor in {tree} updated to its APIs")


if __name__ == "__main__":
    main()
