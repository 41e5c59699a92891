"""The planning tools in words: the target assistant's proposals, their warnings, and the
"at risk" marks, written from the facts planning.selectors gathered."""

from __future__ import annotations

from django.utils.translation import gettext

from scorecard.engine import growth as gr
from scorecard.planning.selectors import KpiPlanning, Proposal, RiskMark

from .numbers import format_number, period_label, plain_number

#: The assistant's proposals by kind, as the table names them.
PROPOSAL_LABELS = {
    "mean": "Average",
    "best": "Best period",
    "trend": "Trend",
    "growth": "Growth",
    "benchmark": "Benchmark",
    "chain": "Conversion chain",
    "growth_path": "Growth path",
    "own": "Your number",
}


def chance_text(chance: float | None) -> str:
    """A chance in words for people: whole percent, "under 1 %" and "over 99 %"
    rather than a falsely certain 0 % or 100 %."""
    if chance is None:
        return "—"
    if chance < 0.01:
        return gettext("under %(percent)s") % {"percent": "1\u00a0%"}
    if chance > 0.99:
        return gettext("over %(percent)s") % {"percent": "99\u00a0%"}
    return f"{chance * 100:.0f}\u00a0%"


def warning_texts(check: gr.Achievability, stats: gr.HistoryStats, unit: str) -> list[str]:
    """The achievability warnings in words, with the numbers they rest on."""
    out = []
    for code in check.warnings:
        if code == "outside_range":
            out.append(
                f"Outside the usual range of the history ({format_number(check.low, unit)} to "
                f"{format_number(check.high, unit)}, the mean ± 2 standard deviations)."
            )
        elif code == "beyond_best":
            out.append(
                f"More than 20 % past the best value ever ({format_number(stats.best, unit)})."
            )
        elif code == "short_history":
            out.append(
                f"Only {stats.count} past value{'s' if stats.count != 1 else ''}: "
                f"fewer than {gr.MIN_HISTORY} make a shaky basis."
            )
    return out


def proposal_basis(proposal: Proposal) -> str:
    """What a proposal rests on, in one line with its numbers."""
    f, kind = proposal.facts, proposal.kind
    if kind in {"mean", "best", "trend", "growth"}:
        span = f"{f['count']} values, {period_label(f['first'])} – {period_label(f['last'])}"
        if kind == "mean":
            return f"Mean of {span}"
        if kind == "best":
            return f"Best value of {span}"
        if kind == "trend":
            return f"Least-squares line through {span}, one period ahead"
        return (
            f"Compound growth of {f['growth']:.2%} a period from the first to the "
            f"last of {span}, one period on"
        )
    if kind == "benchmark":
        pct = f"{f['percentile']:g}th percentile of peers, " if f["percentile"] else ""
        return f"{pct}{f['source']}, {f['as_of']:%-d %b %Y}"
    if kind == "chain":
        return (
            f"Funnel “{f['funnel']}”: {format_number(f['final_target'], f['final_unit'])} "
            f"{f['final_name']} at today's conversion rates"
        )
    if kind == "growth_path":
        unit = f["unit"]
        return (
            f"From {format_number(f['start'], unit)} in {period_label(f['start_period'])} to "
            f"{format_number(f['end'], unit)} in {f['years']:g} years: "
            f"g = {f['yearly']:.2%} a year ({f['per_period']:.2%} a period)"
        )
    return "Typed in to check"


def proposal_note(proposal: Proposal) -> str:
    """The note an accepted proposal leaves on its target (where the number came from)."""
    if proposal.kind == "own":
        return ""
    if proposal.kind == "chain":
        return f"{proposal.basis}."
    return f"{proposal.label}: {proposal.basis}."


def word_planning(planning: KpiPlanning) -> KpiPlanning:
    """Fill in the words of the planning panel's proposals (label, basis, note, warnings)."""
    shown = [*planning.proposals, *([planning.check] if planning.check else [])]
    for proposal in shown:
        proposal.label = PROPOSAL_LABELS.get(proposal.kind, proposal.kind)
        proposal.basis = proposal_basis(proposal)
        proposal.note = proposal_note(proposal)
        if proposal.check is not None and planning.stats is not None:
            proposal.warnings = warning_texts(proposal.check, planning.stats, planning.kpi.unit)
    return planning


def proposal_input(value: float) -> str:
    """A proposed number as the accept form's input shows it: six significant digits,
    whole numbers above 100,000, never an exponent."""
    if abs(value) >= 100_000:
        return plain_number(round(value))
    return plain_number(float(f"{value:.6g}"))


def risk_short(mark: RiskMark) -> str:
    """The chance for the pill of the scorecard table: "<1 %" saves room there."""
    return "<1\u00a0%" if mark.chance < 0.01 else chance_text(mark.chance)


def risk_explanation(mark: RiskMark) -> str:
    """One sentence for the tooltip: what the chance is of, and the rule."""
    return (
        f"The forecast gives {chance_text(mark.chance)} chance of meeting the "
        f"{period_label(mark.period)} target of {format_number(mark.target, mark.unit)}; this "
        f"scorecard marks KPIs at risk below {mark.threshold * 100:.0f}\u00a0% "
        "(set on its planning page)."
    )
