#!/usr/bin/env python3
"""Run winspect against the component-model validation corpus.

usage: validation.py WINSPECT BINDIR CORPUS [--print] [--verbose]

BINDIR holds the binaries produced by ../shared/tools/component-validation-wasm.mjs
(named as the snapshot JSON's "filename" fields). For each .wast whose first line
needs no feature beyond the component-model MVP, every `module`/`module_definition`
must validate (and decode -> encode byte-exactly), every binary assert_invalid /
assert_malformed must be rejected. Text-format assert_malformed cases (`component quote`:
the generator writes the quoted fields to a .wat file) are wrapped in `(component ...)`
and must be rejected by winspect's text parser (a FILE:LINE:COL error) or, for
malformed names, by the binary decoder ("malformed"). Out-of-scope files are decoded
(never crashing) and reported separately. With --print, every .print snapshot of an
in-scope component must equal `winspect print`.
"""
import json, os, re, subprocess, sys, tempfile

winspect, bindir, corpus = sys.argv[1:4]
do_print = '--no-print' not in sys.argv
verbose = '--verbose' in sys.argv

OUT_OF_SCOPE_FEATURES = ('cm-async', 'cm-threading', 'shared-everything-threads', 'gc', 'cm-gc', 'cm-values', 'cm-nested-names', 'cm-error-context', 'cm64',
                         'custom-page-sizes', 'cm-more-async-builtins',
                         'cm-async-stackful')

# name attributes (implements / external-id, versionsuffix + canonical versions):
# implemented by lib/encode's validator (Explainer.md "Import and Export Definitions")
IN_SCOPE_FEATURES = ('cm-implements', 'cm-canon-names', 'cm-map', 'cm-fixed-length-lists')
# features the validator has behind a flag: passed on as winspect -f (as the .wast's RUN line does for wasm-tools)
FLAG_FEATURES = ('cm-map', 'cm-fixed-length-lists')

def features(first_line):
    m = re.findall(r'-f\s+(\S+)', first_line)
    out = []
    for x in m:
        out += x.split(',')
    if 'WAST_STRICT_COMPONENT_INDICES=0' in first_line:
        out.append('legacy-indices')
    return out

def run(args, timeout=20):
    try:
        p = subprocess.run(args, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return 'timeout', b'', b''

wastdir = os.path.join(corpus, 'wast')
snapdir = os.path.join(corpus, 'snapshots')
files = []
for root, _, names in os.walk(wastdir):
    for n in names:
        if n.endswith('.wast'):
            files.append(os.path.relpath(os.path.join(root, n), wastdir))
files.sort()

passed = failed = skipped = crashes = text_rejected = 0
oos_files, oos_decoded, oos_rejected = [], 0, 0
print_ok = print_bad = 0
failures = []
for rel in files:
    with open(os.path.join(wastdir, rel)) as f:
        first = f.readline()
    feats = features(first)
    in_scope = all(f in IN_SCOPE_FEATURES for f in feats)
    fflags = [x for x in feats if x in FLAG_FEATURES]
    vopt = ['-f', ','.join(fflags)] if fflags else []
    with open(os.path.join(snapdir, rel + '.json')) as f:
        snap = json.load(f)
    sub = os.path.dirname(rel)
    if not in_scope:
        oos_files.append('%s (%s)' % (rel, ','.join(feats)))
    for c in snap['commands']:
        fn = c.get('filename')
        if not fn:
            continue
        path = os.path.join(bindir, sub, fn)
        if c.get('module_type') == 'text':
            if not in_scope:
                skipped += 1
                continue
            with open(path, 'rb') as f:
                text = f.read()
            with tempfile.NamedTemporaryFile(suffix='.wat', delete=False) as t:
                t.write(b'(component\n' + text + b'\n)\n')
            rc, out, err = run([winspect, '--validate'] + vopt + [t.name])
            os.unlink(t.name)
            msg = err.decode(errors='replace')
            parse_err = re.search(r'\.wat:\d+:\d+: ', msg) is not None
            if rc == 1 and (parse_err or 'malformed' in msg):
                passed += 1
                text_rejected += 1
            else:
                failed += 1
                failures.append('%s:%d %s text assert_malformed (want %s): rc=%s %s' % (rel, c['line'], fn, c.get('text'), rc, msg.strip()[:300]))
            continue
        if not os.path.exists(path):
            failed += 1
            failures.append('%s: %s missing (binary not generated)' % (rel, fn))
            continue
        rc, out, err = run([winspect, '--validate'] + vopt + [path])
        if rc not in (0, 1):
            crashes += 1
            failures.append('%s: %s CRASH rc=%s %s' % (rel, fn, rc, err[:200]))
            continue
        if not in_scope:
            if rc == 0:
                oos_decoded += 1
            else:
                oos_rejected += 1
            continue
        want_ok = c['type'] in ('module', 'module_definition')
        ok = (rc == 0) == want_ok
        if ok and want_ok:
            with open(path, 'rb') as f:
                is_comp = f.read(8)[4:8] == b'\x0d\x00\x01\x00'
            if is_comp:
                rrc, _, rerr = run([winspect, '--roundtrip', path])
                if rrc != 0:
                    ok = False
                    err = rerr
        if ok:
            passed += 1
        else:
            failed += 1
            failures.append('%s:%d %s %s (want %s): %s' % (rel, c['line'], fn, c['type'],
                            'valid' if want_ok else c.get('text'), err.decode(errors='replace').strip()[:300]))
        if do_print and want_ok and rc == 0:
            idx = fn.rsplit('.', 2)[-2]
            pf = os.path.join(snapdir, rel, idx + '.print')
            if os.path.exists(pf):
                prc, pout, perr = run([winspect, 'print', path])
                with open(pf, 'rb') as f:
                    want = f.read()
                if prc == 0 and pout == want:
                    print_ok += 1
                else:
                    print_bad += 1
                    failures.append('PRINT %s %s differs from %s: %s' % (rel, fn, pf, perr.decode(errors='replace').strip()[:200]))

if verbose:
    for f in failures:
        print('FAIL', f)
else:
    for f in failures[:40]:
        print('FAIL', f)
print('out of scope (%d files, decoded without crash: %d accepted, %d rejected):' % (len(oos_files), oos_decoded, oos_rejected))
for f in oos_files:
    print('  ' + f)
print('text-format (component quote) assert_malformed: %d rejected by the text parser or decoder; '
      '%d in out-of-scope files not run' % (text_rejected, skipped))
if do_print:
    print('print snapshots: %d matched, %d differ' % (print_ok, print_bad))
print('crashes: %d' % crashes)
print('%d passed, %d failed' % (passed + print_ok, failed + crashes + print_bad))
sys.exit(1 if failed or crashes or print_bad else 0)
