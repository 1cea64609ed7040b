//! The unified social credit code (统一社会信用代码, GB 32100-2015) of a domestic unit.
//!
//! Layout of the 18 characters: 1 registration authority, 2 organisation type, 3-8 the
//! administrative division, 9-17 the organisation code (组织机构代码, GB 11714, whose 9th
//! character is its own check digit), 18 the check character over the first 17.
//!
//! Clerks copy codes from scanned licences and Word files, so [`normalize`] forgives spacing,
//! full-width forms and lower case, and [`validate`] then says precisely what is still wrong:
//! a clerk who is told "position 17 check failed" looks at the licence again, one who is told
//! "invalid" retypes the same code.

use crate::error::Problem;
use crate::field::Field;
use crate::text::to_half_width;

/// The 31 characters of GB 32100, in value order: the letters I, O, S, V and Z are left out
/// because they are too easily read as 1, 0, 5, U and 2.
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Registration-authority codes in position 1 (1-9 for the public authorities, A, N and Y
/// for the others). Rules out, among others, the all-zero code, whose check characters hold.
const REGISTRATION_AUTHORITIES: &str = "123456789ANY";

/// Weights of positions 1..=17 for the GB 32100 check: 3^(i-1) mod 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Weights of the organisation code's 8 body characters (GB 11714).
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Trims, converts full-width to half-width, upper-cases and drops inner spaces and hyphens
/// (licences print the code in groups).
pub fn normalize(raw: &str) -> String {
    to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

fn value(c: char) -> Option<u32> {
    CHARSET.find(c).map(|i| i as u32)
}

/// The GB 32100 check character for the first 17 characters (all from [`CHARSET`]).
fn check_char(first17: &[char]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| value(*c).unwrap_or(0) * w)
        .sum();
    let v = (31 - sum % 31) % 31;
    CHARSET.as_bytes()[v as usize] as char
}

/// The GB 11714 check digit for an 8-character organisation code body.
fn org_check_char(body: &[char]) -> char {
    let sum: u32 = body
        .iter()
        .zip(ORG_WEIGHTS)
        .map(|(c, w)| c.to_digit(36).unwrap_or(0) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).unwrap_or('0'),
    }
}

/// Validates a code that has already been through [`normalize`]. Returns the first problem,
/// in the order a person would check: length, characters, then the two check characters.
pub fn validate(code: &str) -> Result<(), Problem> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(Problem::new(
            Field::Uscc,
            "uscc_length",
            format!(
                "应为 18 位，当前为 {} 位，请对照营业执照核对。",
                chars.len()
            ),
            format!(
                "must be 18 characters; this one has {}. Compare it with the licence.",
                chars.len()
            ),
        ));
    }
    if let Some((i, c)) = chars.iter().enumerate().find(|(_, c)| value(**c).is_none()) {
        return Err(Problem::new(
            Field::Uscc,
            "uscc_charset",
            format!(
                "第 {} 位的“{c}”不是有效字符（只允许数字和除 I、O、S、V、Z 以外的大写字母）。",
                i + 1
            ),
            format!(
                "character {} ('{c}') is not allowed: only digits and capital letters other than \
                 I, O, S, V and Z.",
                i + 1
            ),
        ));
    }
    if !REGISTRATION_AUTHORITIES.contains(chars[0]) {
        return Err(Problem::new(
            Field::Uscc,
            "uscc_authority",
            format!(
                "第 1 位（登记管理部门代码）不能是“{}”，请对照营业执照核对。",
                chars[0]
            ),
            format!(
                "character 1 (the registration authority) cannot be '{}'. Compare it with the \
                 licence.",
                chars[0]
            ),
        ));
    }
    if org_check_char(&chars[8..16]) != chars[16] {
        return Err(Problem::new(
            Field::Uscc,
            "uscc_org_check",
            "第 17 位（组织机构代码校验位）不符，第 9 至 17 位可能有误，请对照营业执照核对。",
            "character 17 (the organisation-code check digit) does not match: one of characters \
             9 to 17 is probably wrong. Compare them with the licence.",
        ));
    }
    if check_char(&chars[..17]) != chars[17] {
        return Err(Problem::new(
            Field::Uscc,
            "uscc_check",
            "第 18 位校验码不符，代码中有字符录入有误，请对照营业执照逐位核对。",
            "character 18 (the check character) does not match: a character was mistyped. \
             Compare the code with the licence character by character.",
        ));
    }
    Ok(())
}

/// Completes the first 16 characters of a code with its two check characters: for test
/// fixtures and benchmarks that need many valid codes. `None` when a character is not allowed.
#[doc(hidden)]
pub fn complete(first16: &str) -> Option<String> {
    let mut chars: Vec<char> = first16.chars().collect();
    if chars.len() != 16 || chars.iter().any(|c| value(*c).is_none()) {
        return None;
    }
    chars.push(org_check_char(&chars[8..16]));
    chars.push(check_char(&chars[..17]));
    Some(chars.into_iter().collect())
}

/// Normalises and validates in one step, returning the code as it is stored.
pub fn parse(raw: &str) -> Result<String, Problem> {
    let code = normalize(raw);
    validate(&code)?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real codes printed on public business licences.
    const REAL: [&str; 2] = ["914403001922038216", "91440300708461136T"];

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn real_codes_validate() {
        for code in REAL {
            assert_eq!(validate(code), Ok(()), "{code} is a real, valid code");
        }
    }

    #[test]
    fn every_single_character_corruption_fails() {
        for code in REAL {
            let chars: Vec<char> = code.chars().collect();
            for pos in 0..18 {
                for c in CHARSET.chars().chain("IOSVZ".chars()) {
                    if c == chars[pos] {
                        continue;
                    }
                    let mut bad = chars.clone();
                    bad[pos] = c;
                    let bad: String = bad.into_iter().collect();
                    assert!(
                        validate(&bad).is_err(),
                        "{bad} (position {} changed in {code}) must be rejected",
                        pos + 1
                    );
                }
            }
        }
    }

    #[test]
    fn transposition_of_neighbours_fails() {
        for code in REAL {
            let chars: Vec<char> = code.chars().collect();
            for pos in 0..17 {
                if chars[pos] == chars[pos + 1] {
                    continue;
                }
                let mut bad = chars.clone();
                bad.swap(pos, pos + 1);
                let bad: String = bad.into_iter().collect();
                assert!(
                    validate(&bad).is_err(),
                    "{bad} swaps {} and {}",
                    pos + 1,
                    pos + 2
                );
            }
        }
    }

    #[test]
    fn normalize_forgives_spacing_width_and_case() {
        assert_eq!(
            normalize(" ９１４４ ０３００ ７０８４ ６１１３ ６ｔ "),
            "91440300708461136T"
        );
        assert_eq!(normalize("91440300-70846113-6T"), "91440300708461136T");
        assert_eq!(
            parse("91440300708461136t"),
            Ok("91440300708461136T".to_string())
        );
    }

    #[test]
    fn each_failure_has_its_own_code() {
        let code = |s: &str| validate(s).unwrap_err().code;
        assert_eq!(code("9144030070846113"), "uscc_length");
        assert_eq!(code("91440300708461136I"), "uscc_charset");
        assert_eq!(code("914403007084611376"), "uscc_org_check");
        assert_eq!(code("914403007084611360"), "uscc_check");
    }

    #[test]
    fn an_all_zero_code_is_refused() {
        assert_eq!(
            validate("000000000000000000").unwrap_err().code,
            "uscc_authority"
        );
    }

    #[test]
    fn charset_message_names_the_position_and_character() {
        let p = validate("9144O300708461136T").unwrap_err();
        assert!(
            p.message.zh.contains("第 5 位") && p.message.zh.contains('O'),
            "{:?}",
            p
        );
        assert!(p.message.en.contains("character 5"), "{:?}", p);
    }
}
