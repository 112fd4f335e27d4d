//! Group statistics per period of time (`score --period`): each group's documents split by
//! the day, ISO week, month or year of their date, each (group, period) cell a
//! [`GroupSummary`] with the figures and intervals of corpora_long.csv.

use std::collections::{BTreeMap, BTreeSet};

use super::date::{civil_from_days, days_from_civil, parse_date, weekday_of, Date};
use super::{AggregateError, DocStats, GroupSummary, SummaryRow};

/// The period of documents without a usable date: listed in periods.csv, never in a trend.
pub const UNDATED: &str = "(undated)";

/// Most (group, period) cells a run may hold. Each cell keeps a group summary (about 4 KB:
/// 0.43 GB for 100,000 one-document cells), and periods.csv has some forty rows per cell: day periods over years times
/// many groups would fill memory and make a table no one reads. Beyond it the run stops.
pub const MAX_PERIOD_CELLS: usize = 100_000;

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodUnit {
    Day,
    /// ISO 8601 week, Monday to Sunday, numbered within its week-year.
    Week,
    Month,
    Year,
}

impl std::str::FromStr for PeriodUnit {
    type Err = String;
    fn from_str(s: &str) -> Result<PeriodUnit, String> {
        match s {
            "day" => Ok(PeriodUnit::Day),
            "week" => Ok(PeriodUnit::Week),
            "month" => Ok(PeriodUnit::Month),
            "year" => Ok(PeriodUnit::Year),
            _ => Err(format!(
                "{s:?} is not a period: use day, week, month or year"
            )),
        }
    }
}

/// A document's period: a number of periods since an epoch of the unit (so that the
/// difference of two is the number of steps between them, gaps counted), or none.
/// Dated periods sort before [`Period::Undated`], in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Dated(i64),
    Undated,
}

/// Day number of the Monday 1970-01-05, the first Monday after the epoch of day numbers.
const FIRST_MONDAY: i64 = 4;

impl PeriodUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodUnit::Day => "day",
            PeriodUnit::Week => "week",
            PeriodUnit::Month => "month",
            PeriodUnit::Year => "year",
        }
    }

    /// The period of a date field's value: [`Period::Undated`] when it is missing, not a
    /// date, or a year and month for day and week periods.
    pub fn period_of(self, value: Option<&str>) -> Period {
        value
            .and_then(parse_date)
            .and_then(|d| self.index(d))
            .map_or(Period::Undated, Period::Dated)
    }

    fn index(self, d: Date) -> Option<i64> {
        let (year, month) = (i64::from(d.year), i64::from(d.month));
        match self {
            PeriodUnit::Year => Some(year),
            PeriodUnit::Month => Some(year * 12 + month - 1),
            PeriodUnit::Day => Some(days_from_civil(d.year, d.month, d.day?)),
            PeriodUnit::Week => {
                let days = days_from_civil(d.year, d.month, d.day?);
                let monday = days - weekday_of(days) as i64;
                Some((monday - FIRST_MONDAY).div_euclid(7))
            }
        }
    }

    /// The period's name: `2024-03-05`, `2024-W10`, `2024-03`, `2024`, or [`UNDATED`].
    /// Names of one unit sort as strings in time order (years have four digits).
    pub fn label(self, period: Period) -> String {
        let Period::Dated(i) = period else {
            return UNDATED.to_string();
        };
        match self {
            PeriodUnit::Year => format!("{i:04}"),
            PeriodUnit::Month => format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1),
            PeriodUnit::Day => {
                let (y, m, d) = civil_from_days(i);
                format!("{y:04}-{m:02}-{d:02}")
            }
            PeriodUnit::Week => {
                // The week belongs to the year of its Thursday (ISO 8601).
                let thursday = FIRST_MONDAY + 7 * i + 3;
                let (year, _, _) = civil_from_days(thursday);
                let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
                format!("{year:04}-W{week:02}")
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PeriodError {
    #[error(transparent)]
    Aggregate(#[from] AggregateError),
    #[error(
        "more than {MAX_PERIOD_CELLS} (group, period) cells with --period {unit}: use a \
         coarser --period (week, month or year) or fewer groups (--by)"
    )]
    TooManyCells { unit: &'static str },
}

/// One row of periods.csv: a figure of one group in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodRow {
    pub period: String,
    pub row: SummaryRow,
}

/// The summaries of every (group, period) cell, and the documents without a usable date.
#[derive(Debug, Clone)]
pub struct Periods {
    unit: PeriodUnit,
    cells: BTreeMap<(String, Period), GroupSummary>,
    undated: u64,
    /// The first undated document: its id and its date field's value, if any.
    first_undated: Option<(String, Option<String>)>,
}

impl Periods {
    pub fn new(unit: PeriodUnit) -> Periods {
        Periods {
            unit,
            cells: BTreeMap::new(),
            undated: 0,
            first_undated: None,
        }
    }

    pub fn unit(&self) -> PeriodUnit {
        self.unit
    }

    /// Adds a document of `doc.group` whose date field holds `date` (`None`: no field).
    /// Refuses a new cell beyond [`MAX_PERIOD_CELLS`].
    pub fn add_doc(
        &mut self,
        id: &str,
        date: Option<&str>,
        doc: &DocStats,
    ) -> Result<(), PeriodError> {
        let period = self.unit.period_of(date);
        self.add_to_cell(period, doc)?;
        if period == Period::Undated {
            self.undated += 1;
            self.first_undated
                .get_or_insert_with(|| (id.to_string(), date.map(str::to_string)));
        }
        Ok(())
    }

    fn add_to_cell(&mut self, period: Period, doc: &DocStats) -> Result<(), PeriodError> {
        let key = (doc.group.clone(), period);
        if let Some(cell) = self.cells.get_mut(&key) {
            return Ok(cell.add_doc(doc)?);
        }
        if self.cells.len() >= MAX_PERIOD_CELLS {
            return Err(PeriodError::TooManyCells {
                unit: self.unit.as_str(),
            });
        }
        let mut cell = GroupSummary::new(doc.group.clone());
        cell.add_doc(doc)?;
        self.cells.insert(key, cell);
        Ok(())
    }

    /// Documents without a usable date, and the first of them (id, the field's value).
    pub fn undated(&self) -> (u64, Option<&(String, Option<String>)>) {
        (self.undated, self.first_undated.as_ref())
    }

    /// The cells in order of group, then period in time order, undated last.
    pub fn cells(&self) -> impl Iterator<Item = (&str, Period, &GroupSummary)> {
        self.cells.iter().map(|((g, p), s)| (g.as_str(), *p, s))
    }

    /// The figures of every cell (the rows of corpora_long.csv, with the same patterns
    /// and source types in every cell), in the order of [`Periods::cells`]; made one cell
    /// at a time, so that the table is never all in memory.
    pub fn rows(&self) -> impl Iterator<Item = PeriodRow> + '_ {
        let patterns: BTreeSet<&str> = self
            .cells
            .values()
            .flat_map(|g| g.pattern_names())
            .collect();
        let types: BTreeSet<&str> = self
            .cells
            .values()
            .flat_map(|g| g.attribution_types())
            .collect();
        self.cells().flat_map(move |(_, p, g)| {
            let period = self.unit.label(p);
            g.rows_for(&patterns, &types)
                .into_iter()
                .map(move |row| PeriodRow {
                    period: period.clone(),
                    row,
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(unit: PeriodUnit, date: &str) -> String {
        unit.label(unit.period_of(Some(date)))
    }

    #[test]
    fn iso_weeks_belong_to_the_year_of_their_thursday() {
        // Python: date.fromisoformat(d).isocalendar()
        for (date, week) in [
            ("2020-12-31", "2020-W53"),
            ("2021-01-03", "2020-W53"),
            ("2021-01-04", "2021-W01"),
            ("2024-12-30", "2025-W01"),
            ("2024-12-29", "2024-W52"),
            ("2024-03-05", "2024-W10"),
            ("2026-01-01", "2026-W01"),
            ("2027-01-01", "2026-W53"),
            ("1970-01-01", "1970-W01"),
            ("1969-12-29", "1970-W01"),
            ("1969-12-28", "1969-W52"),
            ("0001-01-01", "0001-W01"),
        ] {
            assert_eq!(label(PeriodUnit::Week, date), week, "{date}");
        }
    }

    #[test]
    fn labels_of_each_unit() {
        let d = "Tue, 05 Mar 2024 10:00:00 GMT";
        assert_eq!(label(PeriodUnit::Day, d), "2024-03-05");
        assert_eq!(label(PeriodUnit::Month, d), "2024-03");
        assert_eq!(label(PeriodUnit::Year, d), "2024");
        assert_eq!(label(PeriodUnit::Month, "2024-03"), "2024-03");
        assert_eq!(label(PeriodUnit::Year, "2024-03"), "2024");
        // A year and month has no day or week.
        assert_eq!(label(PeriodUnit::Day, "2024-03"), UNDATED);
        assert_eq!(label(PeriodUnit::Week, "2024-03"), UNDATED);
        assert_eq!(label(PeriodUnit::Month, "03/05/2024"), UNDATED);
        assert_eq!(PeriodUnit::Month.period_of(None), Period::Undated);
    }

    #[test]
    fn steps_count_the_gaps_and_labels_sort_in_time_order() {
        let month = |d| PeriodUnit::Month.period_of(Some(d));
        let (Period::Dated(a), Period::Dated(b)) = (month("2023-11-30"), month("2024-02-01"))
        else {
            panic!("dated");
        };
        assert_eq!(b - a, 3);
        for unit in [
            PeriodUnit::Day,
            PeriodUnit::Week,
            PeriodUnit::Month,
            PeriodUnit::Year,
        ] {
            let dates = [
                "0999-12-31",
                "1999-12-31",
                "2000-01-01",
                "2020-12-31",
                "2021-01-04",
            ];
            let periods: Vec<Period> = dates.iter().map(|d| unit.period_of(Some(d))).collect();
            let labels: Vec<String> = periods.iter().map(|&p| unit.label(p)).collect();
            assert!(periods.windows(2).all(|w| w[0] <= w[1]), "{unit:?}");
            assert!(labels.windows(2).all(|w| w[0] <= w[1]), "{labels:?}");
        }
    }

    #[test]
    fn too_many_cells_are_refused() {
        let mut p = Periods::new(PeriodUnit::Day);
        let doc = DocStats::new("d".to_string(), "g".to_string());
        for i in 0..MAX_PERIOD_CELLS as i64 {
            let (y, m, d) = civil_from_days(i);
            p.add_doc("d", Some(&format!("{y:04}-{m:02}-{d:02}")), &doc)
                .unwrap();
        }
        // A document of a cell that exists is still added; a new cell is refused.
        p.add_doc("d", Some("1970-01-01"), &doc).unwrap();
        let err = p.add_doc("d", None, &doc).unwrap_err();
        assert!(err.to_string().contains("coarser --period"), "{err}");
        assert_eq!(p.undated().0, 0);
    }
}
