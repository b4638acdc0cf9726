//! Text the page shows for numbers, times and durations. The pure rules are here with
//! native tests; the locale-aware rendering is the browser's own `Intl`.

use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// How to say "how long ago": a whole number of a unit `Intl.RelativeTimeFormat` knows, or
/// `None` when the story is a week old or more (then the date itself is clearer).
pub fn relative_parts(then_ms: i64, now_ms: i64) -> Option<(i64, &'static str)> {
    let ago = now_ms - then_ms;
    if !(-5 * MINUTE..7 * DAY).contains(&ago) {
        return None;
    }
    let ago = ago.max(0);
    Some(if ago < HOUR {
        (-(ago / MINUTE), "minute")
    } else if ago < DAY {
        (-(ago / HOUR), "hour")
    } else {
        (-(ago / DAY), "day")
    })
}

/// "1 view" / "4,812 views", given the count already formatted for the locale.
pub fn views_label(count: u64, formatted: &str) -> String {
    if count == 1 {
        format!("{formatted} view")
    } else {
        format!("{formatted} views")
    }
}

/// "1 min read" / "6 min read".
pub fn reading_label(minutes: usize) -> String {
    format!("{minutes} min read")
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), &(*v).into());
    }
    o
}

fn call_format(format: &js_sys::Function, arg: &JsValue) -> Option<String> {
    format.call1(&JsValue::NULL, arg).ok()?.as_string()
}

/// A count in the reader's locale: 4812 -> "4,812" (en), "4.812" (de).
pub fn number(n: u64) -> String {
    let f = Intl::NumberFormat::new(&Array::new(), &Object::new());
    call_format(&f.format(), &JsValue::from_f64(n as f64)).unwrap_or_else(|| n.to_string())
}

/// A moment in the reader's locale and time zone, e.g. "28 November 2026 at 09:15".
pub fn date_time(ms: i64) -> String {
    let f = Intl::DateTimeFormat::new(
        &Array::new(),
        &options(&[("dateStyle", "long"), ("timeStyle", "short")]),
    );
    let date = Date::new(&JsValue::from_f64(ms as f64));
    call_format(&f.format(), &date.into()).unwrap_or_default()
}

/// A date alone in the reader's locale, e.g. "28 Nov 2026".
pub fn date(ms: i64) -> String {
    let f = Intl::DateTimeFormat::new(&Array::new(), &options(&[("dateStyle", "medium")]));
    let date = Date::new(&JsValue::from_f64(ms as f64));
    call_format(&f.format(), &date.into()).unwrap_or_default()
}

/// "3 hours ago" for a recent moment, or `None` when it is a week old or more.
pub fn relative(ms: i64) -> Option<String> {
    let (value, unit) = relative_parts(ms, Date::now() as i64)?;
    let f = Intl::RelativeTimeFormat::new(&Array::new(), &options(&[("numeric", "auto")]));
    Some(f.format(value as f64, unit).into())
}

/// What a card or dateline shows for a time: relative when recent, otherwise the date.
pub fn when(ms: i64) -> String {
    relative(ms).unwrap_or_else(|| date(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000_000;

    #[test]
    fn recent_times_pick_the_largest_whole_unit() {
        assert_eq!(relative_parts(NOW - 30_000, NOW), Some((0, "minute")));
        assert_eq!(relative_parts(NOW - 5 * MINUTE, NOW), Some((-5, "minute")));
        assert_eq!(
            relative_parts(NOW - 3 * HOUR - MINUTE, NOW),
            Some((-3, "hour"))
        );
        assert_eq!(relative_parts(NOW - 2 * DAY, NOW), Some((-2, "day")));
    }

    #[test]
    fn old_and_far_future_times_are_shown_as_dates() {
        assert_eq!(relative_parts(NOW - 7 * DAY, NOW), None);
        assert_eq!(relative_parts(NOW + HOUR, NOW), None);
        assert_eq!(
            relative_parts(NOW + MINUTE, NOW),
            Some((0, "minute")),
            "small clock skew reads as just now"
        );
    }

    #[test]
    fn labels_agree_in_number() {
        assert_eq!(views_label(1, "1"), "1 view");
        assert_eq!(views_label(4812, "4,812"), "4,812 views");
        assert_eq!(views_label(0, "0"), "0 views");
        assert_eq!(reading_label(4), "4 min read");
    }
}
