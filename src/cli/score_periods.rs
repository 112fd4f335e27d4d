//! `score --period`: periods.csv, trends.csv, the warning about undated documents and the
//! report's block on time.

use super::{fmt_p, Out};
use crate::aggregate::trend::MIN_TREND_PERIODS;
use crate::aggregate::{trends, Period, Periods, TrendRow, UNDATED};
use crate::export::tables;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// The report lists at most this many groups and trends; the CSV files have them all.
const REPORT_MAX_LINES: usize = 20;

/// Warns about undated documents, writes periods.csv and trends.csv, prints the block.
/// The undated warning, and periods.csv and trends.csv written into `dir`; returns the
/// trends for [`report`].
pub(super) fn write(
    dir: &Path,
    periods: &Periods,
    date_field: &str,
    min_docs: u64,
    safe: bool,
) -> Result<Vec<TrendRow>> {
    let unit = periods.unit().as_str();
    let (undated, first) = periods.undated();
    if let Some((id, value)) = first {
        let value = value
            .as_ref()
            .map_or_else(|| "no such column".to_string(), |v| format!("{v:?}"));
        super::super::diag!(
            "onrecord: warning: {undated} documents have no date in column {date_field:?} that \
             --period {unit} can read (first: {id}, {value}); they count in every other output, \
             and in periods.csv in period {UNDATED:?}, never in trends.csv. Check --date-field; \
             the date formats read are in docs/statistics.md."
        );
    }
    let mut o = Out::create(dir, "periods.csv", &tables::periods_header(), safe)?;
    tables::write_period_rows(&mut o.table, periods.rows()).context("writing periods.csv")?;
    o.commit()?;
    let trends = trends(periods, min_docs);
    let mut o = Out::create(dir, "trends.csv", &tables::trends_header(), safe)?;
    tables::write_trends(&mut o.table, &trends).context("writing trends.csv")?;
    o.commit()?;
    Ok(trends)
}

/// Per group its periods, and each significant trend in words, on standard output.
pub(super) fn report(
    periods: &Periods,
    trends: &[TrendRow],
    date_field: &str,
    min_docs: u64,
) -> Result<()> {
    let unit = periods.unit().as_str();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "\nPeriods: each {unit} of {date_field:?} (periods.csv, trends.csv)"
    )?;
    // (group, dated periods) in group order; the trend rows say how many were used.
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for (group, period, _) in periods.cells() {
        if groups.last().is_none_or(|g| g.0 != group) {
            groups.push((group, 0));
        }
        if period != Period::Undated {
            groups.last_mut().expect("pushed above").1 += 1;
        }
    }
    let width = groups
        .iter()
        .map(|g| g.0.chars().count())
        .max()
        .unwrap_or(0);
    for &(group, n) in groups.iter().take(REPORT_MAX_LINES) {
        let used = trends
            .iter()
            .find(|t| t.group == group)
            .map_or(0, |t| t.periods);
        let pad = width - group.chars().count();
        writeln!(
            out,
            "  {group}{}  {n} periods, {used} with at least {min_docs} documents with claims",
            " ".repeat(pad),
        )?;
    }
    if groups.len() > REPORT_MAX_LINES {
        writeln!(
            out,
            "  ... and {} more groups",
            groups.len() - REPORT_MAX_LINES
        )?;
    }
    let (undated, _) = periods.undated();
    if undated > 0 {
        writeln!(
            out,
            "  {undated} documents undated: in period {UNDATED:?}, in no trend"
        )?;
    }
    let tested = trends.iter().filter(|t| t.p_holm.is_some()).count();
    if tested == 0 {
        writeln!(
            out,
            "No trend tested: a group needs at least {MIN_TREND_PERIODS} {unit}s with at least \
             {min_docs} documents with claims (--min-group-docs; trends.csv, column note)."
        )?;
        out.flush()?;
        return Ok(());
    }
    let significant: Vec<&TrendRow> = trends
        .iter()
        .filter(|t| t.p_holm.is_some_and(|p| p < 0.05))
        .collect();
    writeln!(
        out,
        "{} of {tested} trends significant at Holm-adjusted p < 0.05 (a line per group on the \
         {unit}s with at least {min_docs} documents with claims, documents as clusters; Holm \
         within each metric and pattern across groups){}",
        significant.len(),
        if significant.is_empty() { "." } else { ":" }
    )?;
    for t in significant.iter().take(REPORT_MAX_LINES) {
        let (Some(slope), Some(p)) = (t.slope, t.p_holm) else {
            continue;
        };
        let rise = if slope >= 0.0 { "rise" } else { "fall" };
        let sentence = if t.metric == "score_mean" {
            format!(
                "{}: claim scores {rise} by {:.2} points per {unit}",
                t.group,
                slope.abs()
            )
        } else {
            format!(
                "{}: {} claims {rise} by {:.2} percentage points per {unit}",
                t.group,
                t.key,
                100.0 * slope.abs()
            )
        };
        writeln!(out, "  {sentence} (Holm {})", fmt_p(p))?;
    }
    if significant.len() > REPORT_MAX_LINES {
        writeln!(
            out,
            "  ... and {} more in trends.csv",
            significant.len() - REPORT_MAX_LINES
        )?;
    }
    out.flush()?;
    Ok(())
}
