"""What a reader of one audience may see: the one rule that pages, exports and Word files ask.

`scope.scope_branch` has already taken out every record above the audience; what is left
is shown. What is shown *of* the records left differs by audience, and each such difference
is named here once, as a question, instead of being decided again by comparing audience
names where a page or an export is made (DOMAIN.md, "Privacy and disclosure"):

- the whole unit (public) sees figures of the branch and the honor roll, never a member's
  own scores, rank moves or payment times, nor who was absent;
- members of the branch (party) see their own and each other's figures and attendance;
- the committee sees everything the branch keeps: full rankings (those kept off the roll
  too), reasons for absence, compliance statuses, totals of dues.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.spec import AUDIENCES, visible

_READERS = {"public": "全单位", "party": "本支部党员", "committee": "支委会"}


@dataclass(frozen=True)
class Visibility:
    audience: str  # one of spec.AUDIENCES

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}")

    def sees(self, record_audience: str) -> bool:
        """Whether a record written for `record_audience` is shown at all."""
        return visible(self.audience, record_audience)

    @property
    def individual_figures(self) -> bool:
        """Each member's own scores, radar, exact rank moves and dues payment times (members only)."""
        return self.audience != "public"

    @property
    def absentees(self) -> bool:
        """Who was absent from a meeting, and so how many were expected (members only)."""
        return self.audience != "public"

    @property
    def full_ranking(self) -> bool:
        """Every member's rank and score, those kept off the honor roll by a disciplinary matter too."""
        return self.audience == "committee"

    @property
    def meeting_papers(self) -> bool:
        """A meeting's notice and sign-in sheet (会议通知, 签到表): they name everyone expected
        from the roster, which is the branch's, so the whole unit gets none."""
        return self.audience != "public"

    @property
    def every_record(self) -> bool:
        """Records written for every audience: only then is a count of records the branch's whole
        count, and not just of what this reader may see."""
        return all(self.sees(a) for a in AUDIENCES)

    @property
    def readers(self) -> str:
        """Who reads this build, as a count's sentence names them: 全单位, 本支部党员, 支委会."""
        return _READERS[self.audience]

    @property
    def committee_papers(self) -> bool:
        """The committee's working papers: reasons for absence, compliance statuses, dues totals."""
        return self.audience == "committee"


PUBLIC = Visibility("public")
