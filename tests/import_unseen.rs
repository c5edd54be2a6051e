//! Reports written after the importer was built, to stand in for the reports nobody here has
//! seen: a city department with a first-responsibility part and an assessment part, a township
//! with its plans as one "一是…；二是…" paragraph, a web copy with a metadata table and
//! attachment tables, a 2025 report with 2026 plans in 十五五 wording, parts numbered "1." with
//! items "（1）" and a causes part, full-width digits with CRLF line ends, and a GBK file. Each
//! fixture's expected items were written by hand from the text as a careful reader sees them,
//! in the summary format of tests/import_shapes.rs.

mod common;

use common::shape_summary as summary;

#[test]
fn city_department_with_duty_and_assessment_parts() {
    insta::assert_snapshot!("lincheng", summary("lincheng-sthjj-2024-city-dept.txt"));
}

#[test]
fn township_with_plans_in_one_yi_shi_paragraph() {
    insta::assert_snapshot!("shangxi", summary("shangxi-zhen-2024-township.txt"));
}

#[test]
fn web_copy_with_metadata_table_and_attachment_tables() {
    insta::assert_snapshot!("anping", summary("anping-jtysj-2025-web-attachments.txt"));
}

#[test]
fn report_of_2025_with_2026_plans_in_shiwuwu_wording() {
    insta::assert_snapshot!("guanghe", summary("guanghe-2025-shiwuwu.txt"));
}

#[test]
fn parts_numbered_arabic_with_paren_items_and_a_causes_part() {
    insta::assert_snapshot!("jiangbei", summary("jiangbei-yjglj-2024-arabic-parts.txt"));
}

#[test]
fn full_width_digits_and_spaces_with_crlf() {
    insta::assert_snapshot!(
        "lishuikou",
        summary("lishuikou-zhen-2024-fullwidth-crlf.txt")
    );
}

#[test]
fn gbk_file_with_half_width_brackets_and_sentence_plan_items() {
    insta::assert_snapshot!("hongyuan", summary("hongyuan-wjj-2024-gbk.txt"));
}

#[test]
fn two_line_title_numeral_date_and_problems_in_one_paragraph() {
    insta::assert_snapshot!("xiangyang", summary("xiangyang-qu-2024-two-line-title.txt"));
}

#[test]
fn achievement_areas_with_numbered_items_and_joint_leads() {
    insta::assert_snapshot!(
        "fengcheng",
        summary("fengcheng-sfj-2025-areas-with-subitems.txt")
    );
}

#[test]
fn problems_and_plans_in_one_part_with_page_numbers() {
    insta::assert_snapshot!(
        "taoyuan",
        summary("taoyuan-2023-combined-part-page-numbers.txt")
    );
}

#[test]
fn spaced_markers_and_lead_fields_on_their_own_lines() {
    insta::assert_snapshot!("heping", summary("heping-scjgj-2024-field-lines.txt"));
}

/// The same report copied out of a PDF, every line broken at the page width in the middle of
/// sentences: it must give exactly what the unbroken text gives.
#[test]
fn pdf_copy_broken_at_the_page_width_reads_as_the_unbroken_text() {
    assert_eq!(
        summary("guanghe-2025-pdf-wrapped.txt"),
        summary("guanghe-2025-shiwuwu.txt")
    );
}

#[test]
fn part_headings_without_markers_and_points_as_sentences() {
    insta::assert_snapshot!("shiqiao", summary("shiqiao-zhen-2024-bare-headings.txt"));
}

#[test]
fn plans_as_a_task_table_with_lead_and_deadline_columns() {
    insta::assert_snapshot!("qingxi", summary("qingxi-rsj-2025-task-table.txt"));
}

#[test]
fn plan_points_inline_as_circled_numbers_and_sequence_words() {
    insta::assert_snapshot!("yanling", summary("yanling-jyj-2024-inline-circled.txt"));
}

#[test]
fn achievement_areas_that_name_the_problems_they_solved() {
    insta::assert_snapshot!("nanhu", summary("nanhu-2024-areas-naming-problems.txt"));
}

#[test]
fn lead_units_written_in_prose_brackets_and_clauses() {
    insta::assert_snapshot!("baiyun", summary("baiyun-2024-prose-lead-brackets.txt"));
}

#[test]
fn plan_paragraphs_led_by_a_title_sentence() {
    insta::assert_snapshot!(
        "lushan",
        summary("lushan-zhen-2025-titled-plan-paragraphs.txt")
    );
}
