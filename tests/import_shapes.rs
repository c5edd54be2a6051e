//! Reports of other shapes than the reference (department reports, web-page copies, parts named
//! 第一部分, problems as 一是… lines, causes after problems, first-responsibility parts before
//! and after the plans, lead units in both syntaxes, indicator tables): each fixture's expected
//! items are an insta snapshot, written by hand from the text, so a change in what the
//! importer finds is a reviewed diff.

mod common;

use common::shape_summary as summary;

#[test]
fn department_report_with_problem_lines_causes_and_lead_sentences() {
    insta::assert_snapshot!("qinghe", summary("qinghe-sifaju-2024-dept.txt"));
}

#[test]
fn web_page_copy_with_chrome_table_causes_and_bracket_leads() {
    insta::assert_snapshot!("baishui", summary("baishui-2025-web-copy.txt"));
}

#[test]
fn parts_named_di_yi_bu_fen_with_ordinal_items() {
    insta::assert_snapshot!("jinshan", summary("jinshan-scjgj-2024-parts.txt"));
}

#[test]
fn first_responsibility_part_before_the_plans() {
    insta::assert_snapshot!("songlin", summary("songlin-2023-duty-before-plans.txt"));
}

#[test]
fn first_responsibility_and_other_parts_after_the_plans() {
    insta::assert_snapshot!("hexi", summary("hexi-2024-duty-after-plans.txt"));
}

#[test]
fn paragraph_cues_table_and_one_line_plan_areas() {
    insta::assert_snapshot!("dongpo", summary("dongpo-2025-paragraph-cues.txt"));
}

#[test]
fn nested_shortcomings_and_causes_sub_parts() {
    insta::assert_snapshot!("yunxi", summary("yunxi-2025-nested-parts.txt"));
}

#[test]
fn colon_list_problems_and_plans_without_areas() {
    insta::assert_snapshot!("nanshan", summary("nanshan-2024-colon-list.txt"));
}

#[test]
fn heading_only_items_with_paragraphs_and_field_sentences() {
    insta::assert_snapshot!("beiling", summary("beiling-2024-heading-only-items.txt"));
}

#[test]
fn joint_signature_and_plans_listed_inline_as_yi_shi() {
    insta::assert_snapshot!("qingshan", summary("qingshan-2025-inline-plan-points.txt"));
}

#[test]
fn cue_paragraphs_for_problems_causes_and_plans_with_comma_brackets() {
    insta::assert_snapshot!("pinghu", summary("pinghu-2024-cues-and-loose-brackets.txt"));
}

#[test]
fn web_copy_with_three_levels_and_a_lead_sentence_for_the_whole_area() {
    insta::assert_snapshot!("shimen", summary("shimen-2024-web-three-levels.txt"));
}
