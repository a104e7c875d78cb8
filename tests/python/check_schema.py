"""Validate JSON outputs of cosmodrome against a shipped JSON Schema with the `jsonschema`
package (PyPI), an implementation independent of the Rust code that generated the schema.

    python check_schema.py SCHEMA OUTPUT.json [OUTPUT.json ...]

The schema itself must be a valid schema of its draft. Each output must validate. To show the
schema is not vacuous, each output is then broken three ways (its `format` changed, a required
member removed, a member added) and every broken copy must fail. Exits non-zero with the reason
on the first failure.
"""
import copy
import json
import sys

from jsonschema import validators


def fail(message):
    print(f"check_schema: {message}")
    sys.exit(1)


def main():
    schema_path, outputs = sys.argv[1], sys.argv[2:]
    if not outputs:
        fail("no output to validate")
    schema = json.load(open(schema_path))
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    required = schema.get("required", [])
    for path in outputs:
        instance = json.load(open(path))
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            fail(f"{path} does not validate against {schema_path}: " + "; ".join(
                f"at /{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]))
        broken = []
        wrong_format = copy.deepcopy(instance)
        wrong_format["format"] = "not-a-cosmodrome-format/0"
        broken.append(("a wrong format", wrong_format))
        if required:
            missing = copy.deepcopy(instance)
            del missing[required[-1]]
            broken.append((f"without `{required[-1]}`", missing))
        extra = copy.deepcopy(instance)
        extra["unknown_member_m"] = 1.0
        broken.append(("with an unknown member", extra))
        for what, value in broken:
            if validator.is_valid(value):
                fail(f"{path} {what} still validates: the schema does not constrain it")
        print(f"check_schema: {path} validates against {schema_path} ({cls.__name__})")


if __name__ == "__main__":
    main()
