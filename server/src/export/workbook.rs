//! The electronic copy of a report package (报送电子版): an Excel workbook with
//! one sheet per kind of committer and one row per item.

use super::cell;
use crate::error::ApiError;
use chengnuo_domain::commitment::CommitmentDraft;
use chengnuo_domain::names;
use chengnuo_domain::report::Package;
use chengnuo_domain::report::Required;
use chengnuo_domain::Locale;
use rust_xlsxwriter::{Format, Workbook};
use std::collections::HashMap;

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub const SHEETS: [&str; 3] = ["分党委承诺", "党支部承诺", "领导干部承诺"];
pub const HEADER: [&str; 8] = [
    "编号",
    "承诺主体",
    "状态",
    "序号",
    "承诺方向",
    "承诺内容",
    "具体措施",
    "完成时限",
];

fn sheet_of(required: &Required) -> usize {
    match required {
        Required::Own(_) => 0,
        Required::Branch(_) => 1,
        Required::Cadre(_) => 2,
    }
}

fn state_name(present: bool, drafted: bool) -> &'static str {
    match (present, drafted) {
        (_, false) => "未起草",
        (true, true) => "已审核通过",
        (false, true) => "未审核通过",
    }
}

/// The workbook, given the texts of the commitments the package names.
pub fn build(
    package: &Package,
    texts: &HashMap<chengnuo_domain::ids::CommitmentId, CommitmentDraft>,
) -> Result<Vec<u8>, ApiError> {
    let fail = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(format!("workbook: {e}"));
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (index, name) in SHEETS.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).map_err(fail)?;
        for (column, title) in HEADER.iter().enumerate() {
            sheet
                .write_string_with_format(0, column as u16, *title, &bold)
                .map_err(fail)?;
        }
        for (column, width) in [16, 18, 12, 6, 24, 40, 50, 12].iter().enumerate() {
            sheet
                .set_column_width(column as u16, *width)
                .map_err(fail)?;
        }
        let mut row = 1u32;
        for line in package
            .lines
            .iter()
            .filter(|l| sheet_of(&l.required) == index)
        {
            let number = line.number.clone().unwrap_or_default();
            let status = state_name(line.present, line.state.is_some());
            let text = line.commitment.and_then(|id| texts.get(&id));
            let items = text.map(|t| t.items.as_slice()).unwrap_or(&[]);
            if items.is_empty() {
                sheet.write_string(row, 0, cell(&number)).map_err(fail)?;
                sheet
                    .write_string(row, 1, cell(&line.committer_name))
                    .map_err(fail)?;
                sheet.write_string(row, 2, status).map_err(fail)?;
                row += 1;
                continue;
            }
            for (position, item) in items.iter().enumerate() {
                let area = chengnuo_domain::commitment::Area::from_code(&item.area)
                    .map(|a| names::area(a, Locale::Zh).to_owned())
                    .unwrap_or_else(|| item.area.clone());
                sheet.write_string(row, 0, cell(&number)).map_err(fail)?;
                sheet
                    .write_string(row, 1, cell(&line.committer_name))
                    .map_err(fail)?;
                sheet.write_string(row, 2, status).map_err(fail)?;
                sheet
                    .write_number(row, 3, (position + 1) as f64)
                    .map_err(fail)?;
                sheet.write_string(row, 4, cell(&area)).map_err(fail)?;
                sheet
                    .write_string_with_format(row, 5, cell(&item.content), &wrap)
                    .map_err(fail)?;
                sheet
                    .write_string_with_format(row, 6, cell(&item.measures), &wrap)
                    .map_err(fail)?;
                sheet
                    .write_string(row, 7, cell(&item.deadline))
                    .map_err(fail)?;
                row += 1;
            }
        }
    }
    workbook.save_to_buffer().map_err(fail)
}
