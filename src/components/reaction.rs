use leptos::prelude::*;

use crate::api::{call_reactions, ReactionCall};
use crate::browser::{storage_get, storage_remove, storage_set};
use crate::config::use_config;
use crate::format;
use crate::messages::{parts, Msg, Part};

/// The article's live read count, once a reactions service has told it (the published count
/// until then). The article page provides it; the reaction button fills it; the story's
/// meta line shows it.
#[derive(Clone, Copy)]
pub struct LiveViews(pub RwSignal<Option<u64>>);

/// Where static mode keeps this reader's reaction to an article.
pub fn storage_key(article_id: &str) -> String {
    format!("broadsheet:very-good:{article_id}")
}

/// The count to show: the saved count, with this reader's wish applied where it is not saved
/// yet (or has been taken back).
pub fn shown_count(count: u64, saved_mine: bool, pressed: bool) -> u64 {
    match (saved_mine, pressed) {
        (false, true) => count.saturating_add(1),
        (true, false) => count.saturating_sub(1),
        _ => count,
    }
}

/// The "veryGood!" reaction: a toggle button whose label never changes (its state is
/// `aria-pressed`), the count in its own polite live region, and a status line when saving
/// failed. One reaction per reader per article; pressing again takes it back. A double click
/// counts once. With a reactions service configured the change is sent (one request at a
/// time, always the reader's latest wish) and rolled back if the service fails; without one
/// it is remembered in this browser.
#[component]
pub fn ReactionButton(
    /// The article's stable id (the reactions key).
    article_id: String,
    /// The published "very_good" count.
    count: u64,
) -> impl IntoView {
    let config = use_config();
    let service = config.reactions_url.clone();
    let live_views = use_context::<LiveViews>();
    let tell_views = move |views: Option<u64>| {
        if let (Some(live), Some(views)) = (live_views, views) {
            live.0.try_set(Some(views));
        }
    };
    let key = storage_key(&article_id);

    let stored_mine = service.is_none() && storage_get(&key).is_some();
    // What the reader wants (the button's state) ...
    let (pressed, set_pressed) = signal(stored_mine);
    // ... and the count and reaction last known to be saved: in the service, or the published
    // count without this reader in static mode.
    let (confirmed, set_confirmed) = signal((count, false));
    let (message, set_message) = signal(None::<String>);
    let syncing = StoredValue::new(false);
    let touched = StoredValue::new(false);
    let shown = move || {
        let (count, saved_mine) = confirmed.get();
        shown_count(count, saved_mine, pressed.get())
    };

    // Brings the service in line with what the reader wants, one request at a time, so
    // answers can never arrive out of order. A failure puts the button back to the last saved
    // state and says so.
    let failed = config.t(Msg::ReactionFailed).to_string();
    let sync = {
        let service = service.clone();
        let id = article_id.clone();
        move || {
            let Some(base) = service.clone() else { return };
            if syncing.try_get_value() != Some(false) {
                return;
            }
            syncing.set_value(true);
            let id = id.clone();
            let failed = failed.clone();
            leptos::task::spawn_local(async move {
                loop {
                    let (Some(want), Some((_, saved))) =
                        (pressed.try_get_untracked(), confirmed.try_get_untracked())
                    else {
                        return;
                    };
                    if want == saved {
                        break;
                    }
                    let call = if want {
                        ReactionCall::Add
                    } else {
                        ReactionCall::Remove
                    };
                    match call_reactions(&base, &id, call).await {
                        Ok(answer) => {
                            tell_views(answer.views);
                            set_confirmed.try_set((answer.counts.very_good, answer.is_mine()));
                        }
                        Err(_) => {
                            set_pressed.try_set(saved);
                            set_message.try_set(Some(failed.clone()));
                            break;
                        }
                    }
                }
                syncing.try_set_value(false);
            });
        }
    };

    if let Some(base) = service.clone() {
        let id = article_id.clone();
        let sync = sync.clone();
        syncing.set_value(true);
        leptos::task::spawn_local(async move {
            let answer = call_reactions(&base, &id, ReactionCall::Read).await;
            if let Ok(answer) = &answer {
                tell_views(answer.views);
                let mine = answer.is_mine();
                set_confirmed.try_set((answer.counts.very_good, mine));
                if touched.try_get_value() == Some(false) {
                    set_pressed.try_set(mine);
                }
            }
            syncing.try_set_value(false);
            // A press made while the counts were loading is sent now.
            if touched.try_get_value() == Some(true) {
                sync();
            }
        });
    }

    let toggle = move |ev: leptos::ev::MouseEvent| {
        // The second click of a double click (detail 2) is not a second reaction.
        if ev.detail() > 1 || syncing.try_get_value().is_none() {
            return;
        }
        let now_mine = !pressed.get_untracked();
        touched.set_value(true);
        set_pressed.set(now_mine);
        set_message.set(None);
        if service.is_none() {
            if now_mine {
                storage_set(&key, "1");
            } else {
                storage_remove(&key);
            }
        } else {
            sync();
        }
    };

    let label = config.t(Msg::Reaction).to_string();
    // "{count} readers said very good": the number shows, the words around it are for
    // screen readers, in the plural form of the number shown.
    let count_words = move || {
        let n = shown();
        let text = config
            .messages
            .get(Msg::ReactionCount)
            .for_category(format::plural(&config, n))
            .to_string();
        parts(&text)
            .into_iter()
            .map(|part| match part {
                Part::Words(words) => {
                    view! { <span class="visually-hidden">{words.to_string()}</span> }.into_any()
                }
                Part::Slot(_) => {
                    view! { <span class="reaction__number">{format::number(&config, n)}</span> }
                        .into_any()
                }
            })
            .collect_view()
    };
    // The island (`src/island.js`) works this button before the app has started.
    let published = count.to_string();
    view! {
        <div class="reaction" data-article-id=article_id.clone() data-count=published>
            <button
                type="button"
                class="reaction__button"
                aria-pressed=move || if pressed.get() { "true" } else { "false" }
                aria-describedby="reaction-count"
                on:click=toggle
            >
                <svg class="reaction__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                    <path d="M2 10h4v11H2zM8 21h9.2a2 2 0 0 0 2-1.6l1.7-8A2 2 0 0 0 19 9h-5.5l.9-4.3A1.8 1.8 0 0 0 12.7 2.6L8 8.6z" />
                </svg>
                <span>{label}</span>
            </button>
            <span class="reaction__count" id="reaction-count" aria-live="polite" aria-atomic="true">
                {count_words}
            </span>
            <p class="reaction__message" role="status">{move || message.get()}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_article_has_its_own_storage_key() {
        assert_ne!(storage_key("bs-1"), storage_key("bs-2"));
    }

    #[test]
    fn the_count_shows_the_readers_unsaved_wish() {
        assert_eq!(shown_count(10, false, true), 11);
        assert_eq!(shown_count(10, true, false), 9);
        assert_eq!(shown_count(10, true, true), 10);
        assert_eq!(shown_count(0, true, false), 0);
        assert_eq!(shown_count(u64::MAX, false, true), u64::MAX);
    }
}
