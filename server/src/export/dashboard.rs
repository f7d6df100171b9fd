//! The supervision dashboard's table as an Excel workbook: one row per unit
//! or commitment under the unit shown, the total last, every column of the
//! screen (headings in the person's language).

use crate::error::ApiError;
use chengnuo_domain::supervision::{Column, Counts, Dashboard, Subject};
use chengnuo_domain::Locale;
use rust_xlsxwriter::{Format, Workbook};

pub fn build(dashboard: &Dashboard, locale: Locale) -> Result<Vec<u8>, ApiError> {
    let fail = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(format!("workbook: {e}"));
    let (unit_heading, completion_heading, total_heading) = match locale {
        Locale::Zh => ("单位 / 承诺主体", "完成率（%）", "合计"),
        Locale::En => ("Unit / committer", "Completion (%)", "Total"),
    };
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(match locale {
            Locale::Zh => "督查",
            Locale::En => "Supervision",
        })
        .map_err(fail)?;
    sheet
        .write_string_with_format(
            0,
            0,
            super::cell(&format!(
                "{} · {} · {}",
                dashboard.unit.name, dashboard.cycle_name, dashboard.as_of
            ))
            .into_owned(),
            &bold,
        )
        .map_err(fail)?;
    sheet
        .write_string_with_format(1, 0, unit_heading, &bold)
        .map_err(fail)?;
    sheet.set_column_width(0, 28).map_err(fail)?;
    for (i, column) in Column::ALL.iter().enumerate() {
        sheet
            .write_string_with_format(1, i as u16 + 1, column.heading(locale), &bold)
            .map_err(fail)?;
    }
    let last = Column::ALL.len() as u16 + 1;
    sheet
        .write_string_with_format(1, last, completion_heading, &bold)
        .map_err(fail)?;
    let mut write = |row: u32, name: &str, counts: &Counts, format: Option<&Format>| {
        let name = super::cell(name);
        match format {
            Some(f) => sheet.write_string_with_format(row, 0, name, f),
            None => sheet.write_string(row, 0, name),
        }
        .map_err(fail)?;
        for (i, value) in counts.fields().iter().enumerate() {
            sheet
                .write_number(row, i as u16 + 1, f64::from(*value))
                .map_err(fail)?;
        }
        if let Some(percent) = counts.completion() {
            sheet
                .write_number(row, last, f64::from(percent))
                .map_err(fail)?;
        }
        Ok::<(), ApiError>(())
    };
    let mut row = 2u32;
    for line in &dashboard.rows {
        let name = match &line.subject {
            Subject::Unit { name, .. } => name.clone(),
            Subject::Commitment {
                committer, number, ..
            } => match number {
                Some(n) => format!("{committer}（{n}）"),
                None => committer.clone(),
            },
        };
        write(row, &name, &line.counts, None)?;
        row += 1;
    }
    write(row, total_heading, &dashboard.total, Some(&bold))?;
    workbook.save_to_buffer().map_err(fail)
}
