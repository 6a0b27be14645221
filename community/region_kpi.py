"""Wide-area (広域) KPIs: a region's member cities reported together.

Each city keeps its own data (its own database), so a region's report is made from its cities' reports, never from
one query: every KPI is the sum over the member cities that have it (a KPI of a feature only some cities use is
summed over those), a share (KpiSource.shares) is recomputed from the summed part and whole, and the extra sections
are added key by key (per_touchpoint's scans and pushes). The targets are the region's own ([targets.YYYY] in its
file); a KPI without one has none. Cities are separate communities: a person who joined two of them counts twice.

The JSON (GET /api/kpi?region=ID, `python -m bot kpi --region ID --json`) is a city's shape plus "cities":
{"fiscal_year": ..., "from": ..., "to": ..., "kpis": {...}, <sections>, "cities": {ID: <that city's report>}}.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from community import kpi
from community.city import RegionConfig, Site
from community.kpi import Figure, Report, ReportSection, SectionData
from community.texts import t


@dataclass(frozen=True)
class CityReport:
    site: Site
    report: Report


@dataclass(frozen=True)
class RegionReport:
    region: RegionConfig
    total: Report  # the member cities summed, against the region's targets
    cities: dict[str, CityReport]  # in the region file's order

    def as_json(self) -> dict[str, Any]:
        data = self.total.as_json()
        data["cities"] = {city_id: city.report.as_json() for city_id, city in self.cities.items()}
        return data


def region_report(region: RegionConfig, fiscal_year: int, cities: Sequence[CityReport]) -> RegionReport:
    """The region's report for one fiscal year, from its member cities' reports of that year."""
    start, end = kpi.fiscal_year_range(fiscal_year)
    names = merged_order(list(city.report.kpis) for city in cities)
    values = {name: sum(c.report.kpis[name].value for c in cities if name in c.report.kpis) for name in names}
    for name, part, whole in _shares(cities):
        if name in values and part in values and whole in values:
            values[name] = values[part] * 100 // values[whole] if values[whole] else 0
    beside: dict[str, tuple[str, int]] = {}
    for city in cities:
        for name, (figure, value) in city.report.beside.items():
            beside[name] = (figure, beside.get(name, (figure, 0))[1] + value)
    sections: dict[str, SectionData] = {}
    for city in cities:
        for section_name, data in city.report.sections.items():
            sections[section_name] = _added(sections.get(section_name, {}), data)
    targets = region.targets_for(fiscal_year)
    total = Report(
        fiscal_year=fiscal_year,
        start=start,
        end=end,
        kpis={name: Figure(values[name], kpi.target_of(targets, name)) for name in names},
        sections=sections,
        beside=beside,
    )
    return RegionReport(region, total, {city.site.id: city for city in cities})


def merged_order(orders: Iterable[Sequence[str]]) -> list[str]:
    """The KPI names of several reports in one order that keeps each report's own order where they agree: a name
    one city lacks goes right after the name it follows in the city that has it."""
    merged: list[str] = []
    for order in orders:
        previous: str | None = None
        for name in order:
            if name not in merged:
                merged.insert(merged.index(previous) + 1 if previous is not None else 0, name)
            previous = name
    return merged


def _shares(cities: Sequence[CityReport]) -> set[tuple[str, str, str]]:
    return {share for city in cities for source in city.site.kpis for share in source.shares}


def _added(total: Mapping[str, Any], more: Mapping[str, Any]) -> dict[str, Any]:
    """Two sections' JSON added key by key (numbers summed, nested objects added the same way)."""
    result = dict(total)
    for key, value in more.items():
        if isinstance(value, Mapping):
            result[key] = _added(result.get(key, {}), value)
        elif isinstance(value, int) and not isinstance(value, bool):
            result[key] = int(result.get(key, 0)) + value
        else:
            result.setdefault(key, value)
    return result


def report_json(report: RegionReport) -> str:
    """The one serialisation both GET /api/kpi?region= and `kpi --region --json` print."""
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)


def _section_sources(report: RegionReport) -> list[tuple[ReportSection, Site]]:
    """Each extra section with a member city's site that draws it (the first city that has it)."""
    found: dict[str, tuple[ReportSection, Site]] = {}
    for city in report.cities.values():
        for section in city.site.report_sections:
            found.setdefault(section.name, (section, city.site))
    return list(found.values())


def _names(report: RegionReport) -> str:
    return t("ja", "kpi.region_cities_separator").join(city.site.city.name for city in report.cities.values())


def table_text(report: RegionReport) -> str:
    """The region's table (Japanese), then each member city's."""
    total = report.total
    lines = [
        t(
            "ja",
            "kpi.region_table_header",
            region=report.region.info.name,
            cities=_names(report),
            fy=total.fiscal_year,
            start=total.start.isoformat(),
            end=total.end.isoformat(),
        ),
        "",
        *kpi.kpi_lines(total),
    ]
    for section, site in _section_sources(report):
        lines += ["", *section.lines(total.sections[section.name], site)]
    for city in report.cities.values():
        lines += ["", "", kpi.table_text(city.report, city.site)]
    return "\n".join(lines)


def csv_bytes(report: RegionReport) -> bytes:
    """The region's rows, then each member city's under its name (UTF-8 with a BOM, like a city's CSV)."""
    total = report.total
    period = t("ja", "kpi.csv_period", start=total.start.isoformat(), end=total.end.isoformat())
    region_year = t("ja", "kpi.csv_region_year", region=report.region.info.name, fy=total.fiscal_year)
    rows = [[region_year, period, "", "", ""], kpi.csv_header(), *kpi.kpi_rows(total)]
    for section, site in _section_sources(report):
        rows.append([])
        rows.extend(kpi.padded(section.rows(total.sections[section.name], site)))
    for city_id, city in report.cities.items():
        rows += [[], [t("ja", "kpi.csv_city", city=city.site.city.name), city_id, "", "", ""]]
        rows += kpi.csv_rows(city.report, city.site)
    return kpi.encode_csv(rows)


def fiscal_years(ranges: Iterable[range]) -> range:
    """The fiscal years with data in any member city (empty when none has any)."""
    found = [r for r in ranges if r]
    if not found:
        return range(0)
    return range(min(r[0] for r in found), max(r[-1] for r in found) + 1)
