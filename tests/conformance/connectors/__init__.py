"""The connector conformance suite: one set of cases run over every source and sink the binary registers.

suite.py runs it (tests/run_all.py --only connectors); cases.py and cases_faults.py hold the cases; fixtures/ has one
module per connector family, each fixture declaring its capabilities and how to feed and read it back."""
