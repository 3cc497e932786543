"""IssuedReport: an issued report is known by the SHA-256 of its bytes, with its basis."""

from __future__ import annotations

from ledger.domain.issued_report import IssuedReport

SHA = "ab" * 32


def issue(sha256: str = SHA, actor: str = "pat") -> IssuedReport:
    return IssuedReport(kind="rag", sha256=sha256, basis={"position": 7, "format": "html"},
                        code_version="0.1.0", actor=actor)


def test_an_issue_records_what_was_issued_on_which_basis_and_by_whom() -> None:
    report = issue()
    [event] = report.collect_events()
    assert isinstance(event, IssuedReport.Issued)
    assert (event.kind, event.sha256, event.basis, event.code_version, event.actor) == (
        "rag", SHA, {"position": 7, "format": "html"}, "0.1.0", "pat")
    assert (report.kind, report.sha256, report.basis["position"], report.code_version, report.issued_by) == (
        "rag", SHA, 7, "0.1.0", "pat")


def test_the_same_bytes_are_the_same_issue_and_other_bytes_another() -> None:
    assert issue().id == issue(actor="carol").id == IssuedReport.create_id(SHA)
    assert issue().id != issue(sha256="cd" * 32).id
