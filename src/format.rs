//! Text the page shows for numbers, times and durations. The pure rules are here with
//! native tests; in the browser the locale-aware rendering is the browser's own `Intl`, and
//! natively (pre-rendering) the same British English text is computed in Rust.

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

/// A count in the site's locale: 4812 -> "4,812" (en), "4.812" (de).
pub fn number(n: u64) -> String {
    platform::number(n)
}

/// A moment in the site's locale and time zone, e.g. "28 November 2026 at 09:15 GMT".
pub fn date_time(ms: i64) -> String {
    platform::date_time(ms)
}

/// A date alone in the site's locale and time zone, e.g. "28 Nov 2026".
pub fn date(ms: i64) -> String {
    platform::date(ms)
}

/// "3 hours ago" for a recent moment, or `None` when it is a week old or more. A page
/// rendered ahead of time has no "now", so it always shows the date.
pub fn relative(ms: i64) -> Option<String> {
    platform::relative(ms)
}

/// What a card or dateline shows for a time: relative when recent, otherwise the date.
pub fn when(ms: i64) -> String {
    relative(ms).unwrap_or_else(|| date(ms))
}

/// In the browser: the browser's own `Intl`.
#[cfg(target_arch = "wasm32")]
mod platform {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    fn options(pairs: &[(&str, &str)]) -> Object {
        let (_, zone) = crate::config::display();
        let o = Object::new();
        let _ = Reflect::set(&o, &"timeZone".into(), &zone.into());
        for (k, v) in pairs {
            let _ = Reflect::set(&o, &(*k).into(), &(*v).into());
        }
        o
    }

    fn locales() -> Array {
        let (locale, _) = crate::config::display();
        Array::of1(&locale.into())
    }

    fn call_format(format: &js_sys::Function, arg: &JsValue) -> Option<String> {
        format.call1(&JsValue::NULL, arg).ok()?.as_string()
    }

    /// The site's formatters, made once per locale and time zone: constructing an `Intl`
    /// formatter costs far more than using one (making one per date was a third of the
    /// start-up work of a page with 30 cards).
    struct Formatters {
        display: (String, String),
        date_time: js_sys::Function,
        date: js_sys::Function,
        number: js_sys::Function,
        relative: Intl::RelativeTimeFormat,
    }

    thread_local! {
        static FORMATTERS: std::cell::RefCell<Option<std::rc::Rc<Formatters>>> =
            const { std::cell::RefCell::new(None) };
    }

    fn formatters() -> std::rc::Rc<Formatters> {
        let display = crate::config::display();
        if let Some(f) = FORMATTERS.with_borrow(|f| f.clone()) {
            if f.display == display {
                return f;
            }
        }
        let date_time = Intl::DateTimeFormat::new(
            &locales(),
            &options(&[
                ("day", "numeric"),
                ("month", "long"),
                ("year", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("timeZoneName", "short"),
            ]),
        );
        let date = Intl::DateTimeFormat::new(&locales(), &options(&[("dateStyle", "medium")]));
        let number = Intl::NumberFormat::new(&locales(), &Object::new());
        let f = std::rc::Rc::new(Formatters {
            display,
            date_time: date_time.format(),
            date: date.format(),
            number: number.format(),
            relative: Intl::RelativeTimeFormat::new(&locales(), &options(&[("numeric", "auto")])),
        });
        FORMATTERS.with_borrow_mut(|slot| *slot = Some(f.clone()));
        f
    }

    fn js_date(ms: i64) -> JsValue {
        Date::new(&JsValue::from_f64(ms as f64)).into()
    }

    pub fn number(n: u64) -> String {
        call_format(&formatters().number, &JsValue::from_f64(n as f64))
            .unwrap_or_else(|| n.to_string())
    }

    pub fn date_time(ms: i64) -> String {
        call_format(&formatters().date_time, &js_date(ms)).unwrap_or_default()
    }

    pub fn date(ms: i64) -> String {
        call_format(&formatters().date, &js_date(ms)).unwrap_or_default()
    }

    pub fn relative(ms: i64) -> Option<String> {
        let (value, unit) = super::relative_parts(ms, Date::now() as i64)?;
        Some(formatters().relative.format(value as f64, unit).into())
    }
}

/// Outside the browser (pre-rendering in `press`): the same text `Intl` writes for British
/// English, computed natively, so a pre-rendered page and the running app agree.
#[cfg(not(target_arch = "wasm32"))]
mod platform {
    pub fn number(n: u64) -> String {
        super::group_thousands(n)
    }

    pub fn date_time(ms: i64) -> String {
        super::native::date_time(ms)
    }

    pub fn date(ms: i64) -> String {
        super::native::date(ms)
    }

    pub fn relative(_ms: i64) -> Option<String> {
        None
    }
}

/// 1234567 -> "1,234,567".
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// British English dates the way ICU writes them ("6 Sept 2026"), in the site's zone.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use chrono::{DateTime, Datelike, Offset, TimeZone, Timelike};
    use chrono_tz::Tz;

    const SHORT: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec",
    ];
    const LONG: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    fn local(ms: i64) -> Option<(DateTime<Tz>, String)> {
        let (_, zone) = crate::config::display();
        let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
        let at = tz.timestamp_millis_opt(ms).single()?;
        let offset = at.offset().fix().local_minus_utc();
        let name = match (tz, offset) {
            (Tz::UTC | Tz::Etc__UTC, _) => "UTC".to_string(),
            (Tz::Europe__London, 0) => "GMT".to_string(),
            (Tz::Europe__London, _) => "BST".to_string(),
            (_, 0) => "GMT".to_string(),
            (_, seconds) => {
                let sign = if seconds < 0 { '-' } else { '+' };
                let (h, m) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
                if m == 0 {
                    format!("GMT{sign}{h}")
                } else {
                    format!("GMT{sign}{h}:{m:02}")
                }
            }
        };
        Some((at, name))
    }

    pub fn date(ms: i64) -> String {
        local(ms).map_or_else(String::new, |(at, _)| {
            format!("{} {} {}", at.day(), SHORT[at.month0() as usize], at.year())
        })
    }

    pub fn date_time(ms: i64) -> String {
        local(ms).map_or_else(String::new, |(at, zone)| {
            format!(
                "{} {} {} at {:02}:{:02} {zone}",
                at.day(),
                LONG[at.month0() as usize],
                at.year(),
                at.hour(),
                at.minute()
            )
        })
    }
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

    #[test]
    fn thousands_are_grouped_like_intl() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
    }
}
