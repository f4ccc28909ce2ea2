"""Print one line summing the JUnit XML reports of the tox environments.

    python tools/junit_summary.py .tox/junit-*.xml
    -> tests: 1234 passed, 0 failed, 12 skipped
"""
import sys
import xml.etree.ElementTree as ET


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as e:
            print('junit_summary: cannot read %s: %s' % (path, e), file=sys.stderr)
            failed += 1
            continue
        suites = [root] if root.tag == 'testsuite' else root.iter('testsuite')
        for s in suites:
            n = int(s.get('tests', 0))
            f = int(s.get('failures', 0)) + int(s.get('errors', 0))
            k = int(s.get('skipped', 0))
            passed += n - f - k
            failed += f
            skipped += k
    print('tests: %d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
