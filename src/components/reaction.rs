use leptos::prelude::*;

use crate::api::{call_reactions, ReactionCall};
use crate::browser::{storage_get, storage_remove, storage_set};
use crate::config::Config;
use crate::format;

/// Where static mode keeps this reader's reaction to an article.
pub fn storage_key(article_id: &str) -> String {
    format!("broadsheet:very-good:{article_id}")
}

/// The count to show in static mode: the published count plus this reader's own reaction,
/// which the published count does not include.
pub fn static_count(published: u64, mine: bool) -> u64 {
    published.saturating_add(u64::from(mine))
}

/// The "veryGood!" reaction: a toggle button whose label never changes (its state is
/// `aria-pressed`), the count in its own polite live region, and a status line when saving
/// failed. One reaction per reader per article; pressing again takes it back. A double click
/// counts once. With a reactions service configured the change is sent and rolled back if
/// the service fails; without one it is remembered in this browser.
#[component]
pub fn ReactionButton(
    /// The article's stable id (the reactions key).
    article_id: String,
    /// The published "very_good" count.
    count: u64,
) -> impl IntoView {
    let config = use_context::<Config>().unwrap_or_default();
    let service = config.reactions_url.clone();
    let key = storage_key(&article_id);

    let stored_mine = service.is_none() && storage_get(&key).is_some();
    let (pressed, set_pressed) = signal(stored_mine);
    let (shown, set_shown) = signal(static_count(count, stored_mine));
    let (message, set_message) = signal(None::<&'static str>);
    // The last state the service agreed to, and which request is the newest.
    let confirmed = StoredValue::new((static_count(count, stored_mine), stored_mine));
    let sequence = StoredValue::new(0_u64);

    if let Some(base) = service.clone() {
        let id = article_id.clone();
        leptos::task::spawn_local(async move {
            if let Ok(answer) = call_reactions(&base, &id, ReactionCall::Read).await {
                if sequence.try_get_value() == Some(0) {
                    let state = (answer.counts.very_good, answer.is_mine());
                    confirmed.set_value(state);
                    set_shown.try_set(state.0);
                    set_pressed.try_set(state.1);
                }
            }
        });
    }

    let toggle = move |ev: leptos::ev::MouseEvent| {
        // The second click of a double click (detail 2) is not a second reaction.
        if ev.detail() > 1 {
            return;
        }
        let now_mine = !pressed.get_untracked();
        set_pressed.set(now_mine);
        set_shown.update(|n| {
            *n = if now_mine {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1)
            }
        });
        set_message.set(None);
        match service.clone() {
            None => {
                if now_mine {
                    storage_set(&key, "1");
                } else {
                    storage_remove(&key);
                }
            }
            Some(base) => {
                sequence.update_value(|s| *s += 1);
                let mine_seq = sequence.get_value();
                let id = article_id.clone();
                let call = if now_mine {
                    ReactionCall::Add
                } else {
                    ReactionCall::Remove
                };
                leptos::task::spawn_local(async move {
                    let result = call_reactions(&base, &id, call).await;
                    if sequence.try_get_value() != Some(mine_seq) {
                        return;
                    }
                    match result {
                        Ok(answer) => {
                            let state = (answer.counts.very_good, answer.is_mine());
                            confirmed.set_value(state);
                            set_shown.try_set(state.0);
                            set_pressed.try_set(state.1);
                        }
                        Err(_) => {
                            let (count, mine) = confirmed.get_value();
                            set_shown.try_set(count);
                            set_pressed.try_set(mine);
                            set_message.try_set(Some(
                                "Your reaction could not be saved. Please try again.",
                            ));
                        }
                    }
                });
            }
        }
    };

    view! {
        <div class="reaction">
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
                <span>"veryGood!"</span>
            </button>
            <span class="reaction__count" id="reaction-count" aria-live="polite" aria-atomic="true">
                <span class="reaction__number">{move || format::number(shown.get())}</span>
                <span class="visually-hidden">" readers said very good"</span>
            </span>
            <p class="reaction__message" role="status">{move || message.get()}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_count_adds_this_readers_reaction_once() {
        assert_eq!(static_count(41, false), 41);
        assert_eq!(static_count(41, true), 42);
        assert_eq!(static_count(u64::MAX, true), u64::MAX);
    }

    #[test]
    fn each_article_has_its_own_storage_key() {
        assert_ne!(storage_key("bs-1"), storage_key("bs-2"));
    }
}
