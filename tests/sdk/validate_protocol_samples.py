#!/usr/bin/env python3
"""Validates the protocol codec's output against the published JSON Schemas (sdk/schema/).

usage: validate_protocol_samples.py <rkt-protocol-samples> <schema dir>

Every schema must be a valid Draft 2020-12 schema and have samples; every "full" and "minimal"
sample (what the codec writes) must validate; every "refused" sample (a document the codec
rejects) must fail validation. Exits 77 when the jsonschema module is missing (Debian package
python3-jsonschema).
"""
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("skip: the python3 jsonschema module is not installed (python3-jsonschema)",
          file=sys.stderr)
    sys.exit(77)


def main():
    samples_bin, schema_dir = sys.argv[1], sys.argv[2]
    validator_class = jsonschema.Draft202012Validator
    schemas = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".schema.json"):
            with open(os.path.join(schema_dir, name)) as f:
                schema = json.load(f)
            validator_class.check_schema(schema)
            schemas[name[: -len(".schema.json")]] = validator_class(schema)

    out = subprocess.run([samples_bin], check=True, stdout=subprocess.PIPE, text=True).stdout
    failures = []
    seen = set()
    for line in out.splitlines():
        entry = json.loads(line)
        name, kind, message = entry["schema"], entry["sample"], entry["message"]
        validator = schemas.get(name)
        if validator is None:
            failures.append("%s: no schema file for this message" % name)
            continue
        seen.add(name)
        errors = list(validator.iter_errors(message))
        if kind == "refused":
            if not errors:
                failures.append("%s: the schema accepts %s, which the codec refuses"
                                % (name, json.dumps(message)))
        else:
            for e in errors:
                failures.append("%s (%s sample): %s at %s"
                                % (name, kind, e.message, "/".join(map(str, e.absolute_path))))
    for name in sorted(set(schemas) - seen):
        failures.append("%s: no sample checks this schema" % name)

    for f in failures:
        print("FAIL " + f)
    print("%d schemas, %d samples, %d failures" % (len(schemas), len(out.splitlines()),
                                                  len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
