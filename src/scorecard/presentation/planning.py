"""The planning tools in words: the target assistant's proposals, their warnings, and the
"at risk" marks, written from the facts planning.selectors gathered."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext, gettext_lazy, ngettext

from scorecard.dates import day_month_year
from scorecard.engine import growth as gr
from scorecard.planning.selectors import KpiPlanning, Proposal, RiskMark

from .numbers import format_number, period_label, plain_number

#: The assistant's proposals by kind, as the table names them.
PROPOSAL_LABELS = {
    "mean": gettext_lazy("Average"),
    "best": gettext_lazy("Best period"),
    "trend": gettext_lazy("Trend"),
    "growth": gettext_lazy("Growth"),
    "benchmark": gettext_lazy("Benchmark"),
    "chain": gettext_lazy("Conversion chain"),
    "growth_path": gettext_lazy("Growth path"),
    "own": gettext_lazy("Your number"),
}


def _rate(value: float) -> str:
    """A rate with two decimals, the active language's decimal mark: ``2.50%``."""
    return f"{value:.2%}".replace(".", formats.get_format("DECIMAL_SEPARATOR"))


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
                gettext(
                    "Outside the usual range of the history (%(low)s to %(high)s, the mean "
                    "± 2 standard deviations)."
                )
                % {"low": format_number(check.low, unit), "high": format_number(check.high, unit)}
            )
        elif code == "beyond_best":
            out.append(
                gettext("More than 20 %% past the best value ever (%(best)s).")
                % {"best": format_number(stats.best, unit)}
            )
        elif code == "short_history":
            out.append(
                ngettext(
                    "Only %(count)s past value: fewer than %(minimum)s make a shaky basis.",
                    "Only %(count)s past values: fewer than %(minimum)s make a shaky basis.",
                    stats.count,
                )
                % {"count": stats.count, "minimum": gr.MIN_HISTORY}
            )
    return out


def proposal_basis(proposal: Proposal) -> str:
    """What a proposal rests on, in one line with its numbers."""
    f, kind = proposal.facts, proposal.kind
    if kind in {"mean", "best", "trend", "growth"}:
        span = ngettext(
            "%(count)s value, %(first)s – %(last)s",
            "%(count)s values, %(first)s – %(last)s",
            f["count"],
        ) % {
            "count": f["count"],
            "first": period_label(f["first"]),
            "last": period_label(f["last"]),
        }
        if kind == "mean":
            return gettext("Mean of %(span)s") % {"span": span}
        if kind == "best":
            return gettext("Best value of %(span)s") % {"span": span}
        if kind == "trend":
            return gettext("Least-squares line through %(span)s, one period ahead") % {"span": span}
        return gettext(
            "Compound growth of %(rate)s a period from the first to the last of %(span)s, "
            "one period on"
        ) % {"rate": _rate(f["growth"]), "span": span}
    if kind == "benchmark":
        when = day_month_year(f["as_of"])
        if f["percentile"]:
            return gettext("%(percentile)sth percentile of peers, %(source)s, %(date)s") % {
                "percentile": f"{f['percentile']:g}",
                "source": f["source"],
                "date": when,
            }
        return f"{f['source']}, {when}"
    if kind == "chain":
        return gettext("Funnel “%(funnel)s”: %(target)s %(name)s at today's conversion rates") % {
            "funnel": f["funnel"],
            "target": format_number(f["final_target"], f["final_unit"]),
            "name": f["final_name"],
        }
    if kind == "growth_path":
        unit = f["unit"]
        return gettext(
            "From %(start)s in %(period)s to %(end)s in %(years)s years: "
            "g = %(yearly)s a year (%(per_period)s a period)"
        ) % {
            "start": format_number(f["start"], unit),
            "period": period_label(f["start_period"]),
            "end": format_number(f["end"], unit),
            "years": f"{f['years']:g}".replace(".", formats.get_format("DECIMAL_SEPARATOR")),
            "yearly": _rate(f["yearly"]),
            "per_period": _rate(f["per_period"]),
        }
    return gettext("Typed in to check")


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
        proposal.label = str(PROPOSAL_LABELS.get(proposal.kind, proposal.kind))
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
    return gettext(
        "The forecast gives %(chance)s chance of meeting the %(period)s target of %(target)s; "
        "this scorecard marks KPIs at risk below %(threshold)s (set on its planning page)."
    ) % {
        "chance": chance_text(mark.chance),
        "period": period_label(mark.period),
        "target": format_number(mark.target, mark.unit),
        "threshold": f"{mark.threshold * 100:.0f}\u00a0%",
    }
