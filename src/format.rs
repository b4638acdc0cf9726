//! Text the page shows for numbers, times and counts, in the site's language and time zone
//! (from [`Config`]). In the browser the rendering is the browser's own `Intl`; natively
//! (pre-rendering) ICU4X writes the same text from the same CLDR data.

use crate::config::Config;
use crate::messages::Msg;

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

/// A count in the site's language: 4812 -> "4,812" (en), "4.812" (de).
pub fn number(config: &Config, n: u64) -> String {
    with(config, |f| f.number(n))
}

/// The CLDR plural category of `n` in the site's language (`one`, `few`, `other`, ...).
pub fn plural(config: &Config, n: u64) -> &'static str {
    with(config, |f| f.plural(n))
}

/// A counted message with its number in the site's language: "4,812 views", "1 min read".
pub fn counted(config: &Config, msg: Msg, n: u64) -> String {
    let text = config.messages.get(msg).for_category(plural(config, n));
    crate::messages::fill(text, &[("count", &number(config, n))])
}

/// A moment in the site's language and time zone, by the catalogue's `date_time`
/// message: "28 November 2026 at 09:15 GMT".
pub fn date_time(config: &Config, ms: i64) -> String {
    with(config, |f| {
        let (date, time, zone) = f.date_time_parts(ms)?;
        Some(config.messages.fill(
            Msg::DateTime,
            &[("date", &date), ("time", &time), ("zone", &zone)],
        ))
    })
    .unwrap_or_default()
}

/// A date alone in the site's language and time zone, e.g. "28 Nov 2026".
pub fn date(config: &Config, ms: i64) -> String {
    with(config, |f| f.date(ms)).unwrap_or_default()
}

/// "3 hours ago" for a recent moment, or `None` when it is a week old or more. A page
/// rendered ahead of time has no "now", so it always shows the date.
pub fn relative(config: &Config, ms: i64) -> Option<String> {
    with(config, |f| f.relative(ms))
}

/// What a card or dateline shows for a time: relative when recent, otherwise the date.
pub fn when(config: &Config, ms: i64) -> String {
    relative(config, ms).unwrap_or_else(|| date(config, ms))
}

thread_local! {
    static FORMATTERS: std::cell::RefCell<Option<std::rc::Rc<platform::Formatters>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with the site's formatters, made once per language and time zone (and thread):
/// making a formatter costs far more than using one. A cache keyed by the configuration, not
/// a copy of it.
fn with<T>(config: &Config, f: impl FnOnce(&platform::Formatters) -> T) -> T {
    let key = (config.locale.clone(), config.time_zone.clone());
    let cached = FORMATTERS.with_borrow(|slot| slot.clone().filter(|c| c.key == key));
    let formatters = cached.unwrap_or_else(|| {
        let made = std::rc::Rc::new(platform::Formatters::new(key));
        FORMATTERS.with_borrow_mut(|slot| *slot = Some(made.clone()));
        made
    });
    f(&formatters)
}

/// In the browser: the browser's own `Intl`.
#[cfg(target_arch = "wasm32")]
mod platform {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    fn options(zone: &str, pairs: &[(&str, &str)]) -> Object {
        let o = Object::new();
        let _ = Reflect::set(&o, &"timeZone".into(), &zone.into());
        for (k, v) in pairs {
            let _ = Reflect::set(&o, &(*k).into(), &(*v).into());
        }
        o
    }

    fn call_format(format: &js_sys::Function, arg: &JsValue) -> Option<String> {
        format.call1(&JsValue::NULL, arg).ok()?.as_string()
    }

    /// The site's formatters, made once per language and time zone: constructing an `Intl`
    /// formatter costs far more than using one (making one per date was a third of the
    /// start-up work of a page with 30 cards).
    pub struct Formatters {
        pub(super) key: (String, String),
        date_long: js_sys::Function,
        date: js_sys::Function,
        time: js_sys::Function,
        zone: Intl::DateTimeFormat,
        number: js_sys::Function,
        plural: Intl::PluralRules,
        relative: Intl::RelativeTimeFormat,
    }

    impl Formatters {
        pub(super) fn new(key: (String, String)) -> Self {
            let locales = Array::of1(&key.0.as_str().into());
            let zone = key.1.as_str();
            let date_time =
                |pairs: &[(&str, &str)]| Intl::DateTimeFormat::new(&locales, &options(zone, pairs));
            Formatters {
                date_long: date_time(&[("dateStyle", "long")]).format(),
                date: date_time(&[("dateStyle", "medium")]).format(),
                time: date_time(&[("hour", "2-digit"), ("minute", "2-digit")]).format(),
                zone: date_time(&[("timeZoneName", "short")]),
                number: Intl::NumberFormat::new(&locales, &Object::new()).format(),
                plural: Intl::PluralRules::new(&locales, &Object::new()),
                relative: Intl::RelativeTimeFormat::new(
                    &locales,
                    &options(zone, &[("numeric", "auto")]),
                ),
                key,
            }
        }

        pub fn number(&self, n: u64) -> String {
            call_format(&self.number, &JsValue::from_f64(n as f64)).unwrap_or_else(|| n.to_string())
        }

        pub fn plural(&self, n: u64) -> &'static str {
            let category = String::from(self.plural.select(n as f64));
            crate::messages::CATEGORIES
                .into_iter()
                .find(|c| *c == category)
                .unwrap_or("other")
        }

        pub fn date_time_parts(&self, ms: i64) -> Option<(String, String, String)> {
            let at = js_date(ms);
            let zone = self
                .zone
                .format_to_parts(at.unchecked_ref())
                .iter()
                .find(|part| {
                    Reflect::get(part, &"type".into())
                        .ok()
                        .and_then(|t| t.as_string())
                        == Some("timeZoneName".into())
                })
                .and_then(|part| Reflect::get(&part, &"value".into()).ok())
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            Some((
                call_format(&self.date_long, &at)?,
                call_format(&self.time, &at)?,
                zone,
            ))
        }

        pub fn date(&self, ms: i64) -> Option<String> {
            call_format(&self.date, &js_date(ms))
        }

        pub fn relative(&self, ms: i64) -> Option<String> {
            let (value, unit) = super::relative_parts(ms, Date::now() as i64)?;
            Some(self.relative.format(value as f64, unit).into())
        }
    }

    fn js_date(ms: i64) -> JsValue {
        Date::new(&JsValue::from_f64(ms as f64)).into()
    }
}

/// Outside the browser (pre-rendering in `press`): ICU4X, with the same CLDR data the
/// browser's Intl is built on, writes the text Intl writes, so a pre-rendered page and the
/// running app agree. Where Chromium deliberately differs from CLDR, the text follows
/// Chromium (see [`platform::Formatters::date_time_parts`]).
#[cfg(not(target_arch = "wasm32"))]
mod platform {
    use chrono::{Datelike, Offset, TimeZone as _, Timelike};
    use chrono_tz::Tz;
    use icu_calendar::Gregorian;
    use icu_datetime::fieldsets::{self, zone::SpecificShort};
    use icu_datetime::input::{Date, Time, TimeZone, UtcOffset};
    use icu_datetime::options::Alignment;
    use icu_datetime::{FixedCalendarDateTimeFormatter, NoCalendarFormatter};
    use icu_decimal::DecimalFormatter;
    use icu_locale_core::Locale;
    use icu_plurals::{PluralCategory, PluralRuleType, PluralRules};
    use icu_time::zone::ZoneNameTimestamp;

    pub struct Formatters {
        pub(super) key: (String, String),
        zone: Tz,
        zone_id: TimeZone,
        date_long: Option<FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMD>>,
        date: Option<FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMD>>,
        time: Option<NoCalendarFormatter<fieldsets::T>>,
        zone_name: Option<NoCalendarFormatter<SpecificShort>>,
        number: Option<DecimalFormatter>,
        plural: Option<PluralRules>,
    }

    impl Formatters {
        pub(super) fn new(key: (String, String)) -> Self {
            let locale: Locale = key
                .0
                .parse()
                .unwrap_or_else(|_| "en-GB".parse().expect("en-GB is a locale"));
            let zone: Tz = key.1.parse().unwrap_or(Tz::UTC);
            Formatters {
                zone,
                zone_id: TimeZone::from_iana_id(zone.name()),
                date_long: FixedCalendarDateTimeFormatter::try_new(
                    (&locale).into(),
                    fieldsets::YMD::long(),
                )
                .ok(),
                date: FixedCalendarDateTimeFormatter::try_new(
                    (&locale).into(),
                    fieldsets::YMD::medium(),
                )
                .ok(),
                time: NoCalendarFormatter::try_new(
                    (&locale).into(),
                    fieldsets::T::hm().with_alignment(Alignment::Column),
                )
                .ok(),
                zone_name: NoCalendarFormatter::try_new((&locale).into(), SpecificShort).ok(),
                number: DecimalFormatter::try_new((&locale).into(), Default::default()).ok(),
                plural: PluralRules::try_new((&locale).into(), PluralRuleType::Cardinal.into())
                    .ok(),
                key,
            }
        }

        pub fn number(&self, n: u64) -> String {
            match &self.number {
                Some(f) => f.format(&n.into()).to_string(),
                None => n.to_string(),
            }
        }

        pub fn plural(&self, n: u64) -> &'static str {
            let Some(rules) = &self.plural else {
                return "other";
            };
            match rules.category_for(n) {
                PluralCategory::Zero => "zero",
                PluralCategory::One => "one",
                PluralCategory::Two => "two",
                PluralCategory::Few => "few",
                PluralCategory::Many => "many",
                PluralCategory::Other => "other",
            }
        }

        fn local(&self, ms: i64) -> Option<(Date<Gregorian>, Time, i32)> {
            let at = self.zone.timestamp_millis_opt(ms).single()?;
            let date = Date::try_new_gregorian(at.year(), at.month() as u8, at.day() as u8).ok()?;
            let time = Time::try_new(at.hour() as u8, at.minute() as u8, 0, 0).ok()?;
            Some((date, time, at.offset().fix().local_minus_utc()))
        }

        /// The date (long), the time (hours and minutes) and the zone's short name. Two
        /// places where Chromium's Intl deliberately departs from CLDR are followed: times
        /// use a plain space where CLDR has a narrow one ("9:15 AM"), and a zone's offset
        /// name carries no direction marks; and UTC is "UTC" in every language.
        pub fn date_time_parts(&self, ms: i64) -> Option<(String, String, String)> {
            let (date, time, offset) = self.local(ms)?;
            let zone = if matches!(self.zone, Tz::UTC | Tz::Etc__UTC) {
                "UTC".to_string()
            } else {
                let zone = self
                    .zone_id
                    .with_offset(UtcOffset::try_from_seconds(offset).ok())
                    .with_zone_name_timestamp(ZoneNameTimestamp::from_epoch_seconds(
                        ms.div_euclid(1000),
                    ));
                self.zone_name
                    .as_ref()?
                    .format(&zone)
                    .to_string()
                    .replace(['\u{200e}', '\u{200f}', '\u{61c}'], "")
            };
            Some((
                self.date_long.as_ref()?.format(&date).to_string(),
                self.time
                    .as_ref()?
                    .format(&time)
                    .to_string()
                    .replace('\u{202f}', " "),
                zone,
            ))
        }

        pub fn date(&self, ms: i64) -> Option<String> {
            let (date, _, _) = self.local(ms)?;
            Some(self.date.as_ref()?.format(&date).to_string())
        }

        pub fn relative(&self, _ms: i64) -> Option<String> {
            None
        }
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

    #[cfg(not(target_arch = "wasm32"))]
    fn site(language: &str, zone: &str) -> Config {
        Config::for_language(language, zone)
    }

    /// 2025-04-11 12:44 UTC.
    #[cfg(not(target_arch = "wasm32"))]
    const APRIL: i64 = 1_744_375_440_000;

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn dates_are_written_as_chromium_writes_them_in_every_shipped_language() {
        // Each expected text is what Chromium 156's Intl writes for the same options.
        let cases = [
            ("en-GB", "11 April 2025 at 08:44 GMT-4", "11 Apr 2025"),
            ("en-US", "April 11, 2025 at 08:44 AM EDT", "Apr 11, 2025"),
            ("de", "11. April 2025 um 08:44 GMT-4", "11.04.2025"),
            ("es", "11 de abril de 2025, 08:44 GMT-4", "11 abr 2025"),
            ("ja", "2025年4月11日 08:44 GMT-4", "2025/04/11"),
            (
                "ar",
                "11 أبريل 2025 في 08:44 ص غرينتش-4",
                "11\u{200f}/04\u{200f}/2025",
            ),
        ];
        for (language, long, short) in cases {
            let config = site(language, "America/New_York");
            assert_eq!(date_time(&config, APRIL), long, "{language}");
            assert_eq!(date(&config, APRIL), short, "{language}");
        }
        assert_eq!(
            date_time(&site("en-GB", "Europe/London"), APRIL),
            "11 April 2025 at 13:44 BST"
        );
        assert_eq!(
            date_time(&site("ar", "UTC"), APRIL),
            "11 أبريل 2025 في 12:44 م UTC"
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn counts_take_the_plural_form_of_their_language() {
        let en = site("en-GB", "UTC");
        assert_eq!(counted(&en, Msg::Views, 1), "1 view");
        assert_eq!(counted(&en, Msg::Views, 0), "0 views");
        assert_eq!(counted(&en, Msg::Views, 4812), "4,812 views");
        assert_eq!(counted(&en, Msg::ReadingTime, 4), "4 min read");
        let de = site("de", "UTC");
        assert_eq!(counted(&de, Msg::Views, 4812), "4.812 Aufrufe");
        assert_eq!(counted(&de, Msg::Views, 1), "1 Aufruf");
        let ar = site("ar", "UTC");
        assert_eq!(counted(&ar, Msg::Views, 1), "مشاهدة واحدة");
        assert_eq!(counted(&ar, Msg::Views, 2), "مشاهدتان");
        assert_eq!(counted(&ar, Msg::Views, 3), "3 مشاهدات");
        assert_eq!(counted(&ar, Msg::Views, 11), "11 مشاهدة");
        assert_eq!(plural(&ar, 0), "zero");
        assert_eq!(plural(&ar, 103), "few");
        assert_eq!(plural(&site("ja", "UTC"), 1), "other");
    }
}
