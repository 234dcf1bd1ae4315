//! Amounts in the token's own units and durations as people write them.

/// `text` ("12", "12.5", "0.000001") in whole tokens of `decimals` decimals,
/// as the token's smallest units.
pub fn parse_amount(text: &str, decimals: u8) -> Result<u128, String> {
    let bad = || format!("{text:?} is not an amount (write it like 12 or 12.5)");
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    if fraction.len() > usize::from(decimals) {
        return Err(format!(
            "{text} has more than the token's {decimals} decimals"
        ));
    }
    let scale = 10u128.checked_pow(u32::from(decimals)).ok_or_else(bad)?;
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let padded = format!("{fraction:0<width$}", width = usize::from(decimals));
    let fraction: u128 = if padded.is_empty() {
        0
    } else {
        padded.parse().map_err(|_| bad())?
    };
    whole
        .checked_mul(scale)
        .and_then(|units| units.checked_add(fraction))
        .ok_or_else(|| format!("{text} is too large"))
}

/// `units` of a token with `decimals` decimals, without trailing zeros.
pub fn format_amount(units: u128, decimals: u8) -> String {
    let scale = 10u128.saturating_pow(u32::from(decimals));
    let (whole, fraction) = (units / scale, units % scale);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:0width$}", width = usize::from(decimals));
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// "90s", "15m", "2h", "7d", "500ms" or a bare number of seconds, in
/// milliseconds.
pub fn parse_duration_ms(text: &str) -> Result<u64, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (write it like 90s, 15m, 2h or 7d)"))?;
    let unit_ms: u64 = match unit {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        other => return Err(format!("{other:?} is not a unit of time (ms, s, m, h, d)")),
    };
    number
        .checked_mul(unit_ms)
        .ok_or_else(|| format!("{text} is too long"))
}

/// Milliseconds as people say them: "1d 2h 3m 4s", "0s".
pub fn format_duration_ms(ms: u64) -> String {
    let mut seconds = ms / 1_000;
    let mut parts = Vec::new();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if seconds >= size {
            parts.push(format!("{}{unit}", seconds / size));
            seconds %= size;
        }
    }
    if seconds > 0 || parts.is_empty() {
        parts.push(format!("{seconds}s"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_and_print_in_the_tokens_units() {
        assert_eq!(parse_amount("12", 6), Ok(12_000_000));
        assert_eq!(parse_amount("12.5", 6), Ok(12_500_000));
        assert_eq!(parse_amount("0.000001", 6), Ok(1));
        assert_eq!(parse_amount(".5", 6), Ok(500_000));
        assert_eq!(parse_amount("7", 0), Ok(7));
        assert_eq!(format_amount(12_500_000, 6), "12.5");
        assert_eq!(format_amount(1, 6), "0.000001");
        assert_eq!(format_amount(12_000_000, 6), "12");
    }

    #[test]
    fn malformed_amounts_are_refused_with_a_reason() {
        for bad in ["", ".", "1.2.3", "-1", "1e6", "12,5", " 1"] {
            assert!(parse_amount(bad, 6).is_err(), "{bad:?} was accepted");
        }
        assert!(parse_amount("0.0000001", 6)
            .unwrap_err()
            .contains("6 decimals"));
        assert!(parse_amount("340282366920938463463374607431768211455", 6).is_err());
    }

    #[test]
    fn durations_read_and_print_as_people_write_them() {
        assert_eq!(parse_duration_ms("90s"), Ok(90_000));
        assert_eq!(parse_duration_ms("90"), Ok(90_000));
        assert_eq!(parse_duration_ms("7d"), Ok(604_800_000));
        assert_eq!(parse_duration_ms("500ms"), Ok(500));
        assert!(parse_duration_ms("7w").is_err());
        assert!(parse_duration_ms("d").is_err());
        assert_eq!(format_duration_ms(93_784_000), "1d 2h 3m 4s");
        assert_eq!(format_duration_ms(0), "0s");
        assert_eq!(format_duration_ms(3_600_000), "1h");
    }
}
