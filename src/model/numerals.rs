//! Digits and small numbers in the three scripts of Chinese documents: ASCII, full-width and
//! Chinese numerals. They live in model/ because the date grammar (model/date.rs) reads them,
//! as does the report importer, which re-exports them from import/text.rs.

/// Value of an ASCII or full-width decimal digit.
pub fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Value of a single Chinese digit character (not 十).
pub fn cn_digit(c: char) -> Option<u32> {
    match c {
        '〇' | '零' | 'Ｏ' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// Parses a Chinese numeral from 1 to 99 ("一", "十", "十二", "二十", "三十一") at the start
/// of `s`. Returns the value and the number of bytes used.
pub fn leading_cn_number(s: &str) -> Option<(u32, usize)> {
    let mut chars = Vec::new();
    let mut used = 0;
    for c in s.chars() {
        if (cn_digit(c).is_some() && c != '〇' && c != '零' && c != 'Ｏ') || c == '十' {
            chars.push(c);
            used += c.len_utf8();
            if chars.len() > 3 {
                return None;
            }
        } else {
            break;
        }
    }
    let value = match chars.as_slice() {
        [d] if *d != '十' => cn_digit(*d)?,
        ['十'] => 10,
        ['十', d] => 10 + cn_digit(*d)?,
        [t, '十'] => cn_digit(*t)? * 10,
        [t, '十', d] => cn_digit(*t)? * 10 + cn_digit(*d)?,
        _ => return None,
    };
    if value == 0 {
        return None;
    }
    Some((value, used))
}

/// Parses one or two ASCII or full-width digits at the start of `s`. Longer runs are refused so
/// that years ("2024.") and figures are never read as list numbers.
pub fn leading_arabic_number(s: &str) -> Option<(u32, usize)> {
    let mut value = 0;
    let mut count = 0;
    let mut used = 0;
    for c in s.chars() {
        match arabic_digit(c) {
            Some(d) => {
                value = value * 10 + d;
                count += 1;
                used += c.len_utf8();
                if count > 2 {
                    return None;
                }
            }
            None => break,
        }
    }
    if count == 0 || value == 0 {
        None
    } else {
        Some((value, used))
    }
}
