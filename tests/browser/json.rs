//! Reading JSON the way the app does in the browser: parsed by `JSON.parse`, then read by the
//! model's decoders through `JsValue`. (The same decoders run natively on serde_json's values
//! in the unit tests; this is the path readers' browsers take.)

use broadsheet::model::json::from_str;
use broadsheet::model::{Block, CardList, Reactions};
use wasm_bindgen_test::wasm_bindgen_test;

const CARD: &str = r#"{"slug":"a","title":"T","section":{"slug":"news","name":"News"},"published_at":"2025-01-01T00:00:00Z"}"#;

fn list_error(items: &str) -> String {
    match from_str::<CardList>(&format!(r#"{{"items":[{items}]}}"#)) {
        Ok(_) => panic!("{items} decoded"),
        Err(e) => e,
    }
}

#[wasm_bindgen_test]
fn absent_and_null_optional_fields_are_none_and_unknown_fields_are_ignored() {
    let list: CardList = from_str(
        r#"{"title":null,"extra":[1,{"x":2}],"items":[{"slug":"a","title":"T",
            "section":{"slug":"news","name":"News"},"published_at":"2025-01-01T00:00:00Z",
            "views":null,"image":null,"standfirst":"S","constructor":7}]}"#,
    )
    .expect("valid");
    assert_eq!(list.title, None);
    assert_eq!(list.items[0].views, None);
    assert_eq!(list.items[0].standfirst.as_deref(), Some("S"));
}

#[wasm_bindgen_test]
fn errors_name_the_field_and_what_was_found() {
    let wrong = CARD.replace(r#""title":"T""#, r#""title":7"#);
    assert_eq!(
        list_error(&wrong),
        "items[0].title: expected a string, found a number"
    );
    let null = CARD.replace(r#""title":"T""#, r#""title":null"#);
    assert_eq!(
        list_error(&null),
        "items[0].title: expected a string, found null"
    );
    let missing = CARD.replace(r#""title":"T","#, "");
    assert_eq!(list_error(&missing), "items[0].title: is missing");
    let array = CARD.replace(r#"{"slug":"news","name":"News"}"#, "[]");
    assert_eq!(
        list_error(&array),
        "items[0].section: expected an object, found an array"
    );
    assert_eq!(
        from_str::<CardList>(r#"{"items":{}}"#).err().as_deref(),
        Some("items: expected an array, found an object")
    );
}

#[wasm_bindgen_test]
fn members_inherited_from_object_prototype_are_absent() {
    // `constructor` and `toString` exist on every JS object; as contract fields they would
    // be missing, not functions.
    let answer = from_str::<Reactions>(r#"{"toString":1}"#);
    assert_eq!(answer.err().as_deref(), Some("very_good: is missing"));
}

#[wasm_bindgen_test]
fn counts_are_whole_numbers_a_browser_keeps_exactly() {
    let ok: Reactions = from_str(r#"{"very_good":9007199254740991}"#).expect("2^53 - 1");
    assert_eq!(ok.very_good, 9_007_199_254_740_991);
    for bad in ["9007199254740992", "-1", "1.5", "1e400", "\"3\"", "true"] {
        let err = from_str::<Reactions>(&format!(r#"{{"very_good":{bad}}}"#)).expect_err(bad);
        assert!(err.starts_with("very_good: expected"), "{bad}: {err}");
    }
}

#[wasm_bindgen_test]
fn blocks_are_read_by_type_and_unknown_types_are_kept_as_unknown() {
    let blocks: Vec<Block> = from_str(
        r#"[{"type":"heading","text":"H","level":2},{"type":"carousel","items":7},
            {"type":"image","src":"a.png","alt":"","width":2,"height":1},{"type":"separator"}]"#,
    )
    .expect("valid");
    assert_eq!(
        blocks[0],
        Block::Heading {
            text: "H".into(),
            level: 2
        }
    );
    assert_eq!(blocks[1], Block::Unknown);
    assert!(matches!(&blocks[2], Block::Image(image) if image.width == 2));
    assert_eq!(blocks[3], Block::Separator);
    let untyped = from_str::<Vec<Block>>(r#"[{"text":"no type"}]"#).expect_err("needs a type");
    assert_eq!(untyped, "[0].type: is missing");
}

#[wasm_bindgen_test]
fn text_that_is_not_json_says_so() {
    for bad in ["", "{", "{\"items\": [", "[1,]", "nul", "<html>"] {
        let err = from_str::<CardList>(bad).expect_err(bad);
        assert!(err.starts_with("not JSON"), "{bad:?}: {err}");
    }
}

#[wasm_bindgen_test]
fn a_list_longer_than_any_page_shows_is_read_only_up_to_its_limit() {
    // Regression: a hostile API's article with 100,000 Related cards froze the page for 49 s.
    let cards = vec![CARD; 20_000].join(",");
    let list: CardList = from_str(&format!(r#"{{"items":[{cards}]}}"#)).expect("valid");
    assert_eq!(list.items.len(), 100);
    // Only what is read is checked: a bad card after the limit is never looked at.
    let mut tail = vec![CARD; 100];
    tail.push(r#"{"slug":7}"#);
    let list: CardList = from_str(&format!(r#"{{"items":[{}]}}"#, tail.join(","))).expect("valid");
    assert_eq!(list.items.len(), 100);
}
