//! The bundled demo log (assets/demo.jsonl, recorded by scripts/record-demo.sh) reads like
//! a real coding session: natural prompts and answers, not the scripted model's keywords
//! ("bash: ...", "Running it.", "Done: ...", "Mock title"), edits that keep their code
//! intact, every feature the README promises (a project slash command, an `@` mention and a
//! model switch among them), and a size that stays small.

use serde_json::Value;

fn events() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo.jsonl");
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The final snapshots of every part, by id (last `message.part.updated` wins).
fn parts(events: &[Value]) -> Vec<Value> {
    let mut by_id: Vec<(String, Value)> = Vec::new();
    for e in events
        .iter()
        .filter(|e| e["type"] == "message.part.updated")
    {
        let part = &e["properties"]["part"];
        let id = part["id"].as_str().unwrap_or("").to_string();
        match by_id.iter_mut().find(|(i, _)| *i == id) {
            Some(slot) => slot.1 = part.clone(),
            None => by_id.push((id, part.clone())),
        }
    }
    by_id.into_iter().map(|(_, p)| p).collect()
}

/// The ids of the user messages.
fn user_messages(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["type"] == "message.updated" && e["properties"]["info"]["role"] == "user")
        .filter_map(|e| e["properties"]["info"]["id"].as_str().map(String::from))
        .collect()
}

#[test]
fn prompts_and_answers_are_natural_text() {
    let events = events();
    let users = user_messages(&events);
    let keywords = [
        "bash:",
        "write:",
        "edit:",
        "read:",
        "question:",
        "reason:",
        "say:",
        "tool:",
        "markdown",
    ];
    let mut prompts = 0;
    for part in parts(&events).iter().filter(|p| p["type"] == "text") {
        let text = part["text"].as_str().unwrap_or("");
        if users.iter().any(|u| part["messageID"] == u.as_str()) {
            prompts += 1;
            for line in text.lines() {
                assert!(
                    !keywords.iter().any(|k| line.trim_start().starts_with(k)),
                    "a script line in a prompt: {line:?}"
                );
            }
        } else {
            assert_ne!(text.trim(), "Running it.", "the mock's step text");
            assert!(!text.starts_with("Done: "), "the mock's answer: {text:?}");
            assert!(
                !text.starts_with("Hello! You said"),
                "the mock's echo: {text:?}"
            );
        }
    }
    assert!(prompts >= 5, "five prompts or more, got {prompts}");
    for e in events.iter().filter(|e| e["type"] == "session.updated") {
        let title = e["properties"]["info"]["title"].as_str().unwrap_or("");
        assert_ne!(title, "Mock title");
    }
}

#[test]
fn edits_keep_the_code_they_change_intact() {
    let parts = parts(&events());
    let edits: Vec<&Value> = parts.iter().filter(|p| p["tool"] == "edit").collect();
    assert!(!edits.is_empty(), "the demo shows an edit");
    for edit in edits {
        let input = &edit["state"]["input"];
        let old = input["oldString"].as_str().unwrap_or("");
        let new = input["newString"].as_str().unwrap_or("");
        // A `;` (or any closing character) the old code ends with is still there.
        assert_eq!(
            old.chars().last().filter(|c| !c.is_alphanumeric()),
            new.chars().last().filter(|c| !c.is_alphanumeric()),
            "edit {old:?} => {new:?} lost its ending"
        );
        assert_eq!(edit["state"]["status"], "completed", "{edit}");
    }
}

#[test]
fn every_promised_feature_is_shown_and_the_log_stays_small() {
    let events = events();
    let parts = parts(&events);
    let tool = |name: &str, status: &str| {
        parts
            .iter()
            .any(|p| p["tool"] == name && p["state"]["status"] == status)
    };
    assert!(parts.iter().any(|p| p["type"] == "reasoning"), "reasoning");
    assert!(
        parts
            .iter()
            .any(|p| p["type"] == "text" && p["text"].as_str().is_some_and(|t| t.contains("```"))),
        "a Markdown code block"
    );
    for name in ["read", "bash", "edit", "write", "question"] {
        assert!(tool(name, "completed"), "a completed {name}");
    }
    assert!(tool("bash", "error"), "a rejected command");
    let replies: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "permission.replied")
        .filter_map(|e| e["properties"]["reply"].as_str())
        .collect();
    assert!(
        replies.contains(&"once") && replies.contains(&"reject"),
        "{replies:?}"
    );
    assert!(events.iter().any(|e| e["type"] == "question.replied"));
    assert!(
        events.len() <= 360,
        "{} events: keep the demo short",
        events.len()
    );
}

/// The model the user messages were sent to, in order (`provider/model`).
fn user_models(events: &[Value]) -> Vec<String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for e in events.iter().filter(|e| e["type"] == "message.updated") {
        let info = &e["properties"]["info"];
        if info["role"] != "user" {
            continue;
        }
        let id = info["id"].as_str().unwrap_or("").to_string();
        let model = format!(
            "{}/{}",
            info["model"]["providerID"].as_str().unwrap_or("?"),
            info["model"]["modelID"].as_str().unwrap_or("?")
        );
        match out.iter_mut().find(|(i, _)| *i == id) {
            Some(slot) => slot.1 = model,
            None => out.push((id, model)),
        }
    }
    out.into_iter().map(|(_, m)| m).collect()
}

#[test]
fn a_project_slash_command_runs_and_does_its_work() {
    let events = events();
    let run = events
        .iter()
        .find(|e| e["type"] == "command.executed")
        .expect("a server command ran (command.executed)");
    assert_eq!(run["properties"]["name"], "changelog", "{run}");
    assert_eq!(run["properties"]["arguments"], "the friendlier greeting");
    let parts = parts(&events);
    let users = user_messages(&events);
    assert!(
        parts.iter().any(|p| p["type"] == "text"
            && users.iter().any(|u| p["messageID"] == u.as_str())
            && p["text"].as_str().is_some_and(
                |t| t.contains("CHANGELOG.md") && t.contains("the friendlier greeting")
            )),
        "the expanded template is a user message"
    );
    assert!(
        parts.iter().any(|p| p["tool"] == "write"
            && p["state"]["status"] == "completed"
            && p["state"]["input"]["filePath"]
                .as_str()
                .is_some_and(|f| f.ends_with("CHANGELOG.md"))),
        "the command's turn wrote CHANGELOG.md"
    );
}

#[test]
fn a_file_mention_is_attached_to_its_prompt() {
    let events = events();
    let users = user_messages(&events);
    let parts = parts(&events);
    let mine = |p: &&Value| users.iter().any(|u| p["messageID"] == u.as_str());
    let file = parts
        .iter()
        .filter(mine)
        .find(|p| p["type"] == "file")
        .expect("a file part in a prompt");
    assert_eq!(file["filename"], "src/greet.rs", "{file}");
    assert_eq!(file["source"]["text"]["value"], "@src/greet.rs", "{file}");
    assert!(
        parts
            .iter()
            .filter(mine)
            .any(|p| p["messageID"] == file["messageID"]
                && p["type"] == "text"
                && p["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("@src/greet.rs friendlier"))),
        "the prompt's text names the file"
    );
}

#[test]
fn the_model_is_switched_for_a_later_prompt() {
    let events = events();
    let models = user_models(&events);
    assert_eq!(
        models.first().map(String::as_str),
        Some("mock/mock-model"),
        "{models:?}"
    );
    assert_eq!(
        models.last().map(String::as_str),
        Some("mock/mock-thinker"),
        "{models:?}"
    );
    // The second model answered, with its reasoning.
    let thinker: Vec<String> = events
        .iter()
        .filter(|e| e["type"] == "message.updated")
        .map(|e| &e["properties"]["info"])
        .filter(|i| i["role"] == "assistant" && i["modelID"] == "mock-thinker")
        .filter_map(|i| i["id"].as_str().map(String::from))
        .collect();
    assert!(!thinker.is_empty(), "an answer from mock-thinker");
    assert!(
        parts(&events)
            .iter()
            .any(|p| p["type"] == "reasoning"
                && thinker.iter().any(|t| p["messageID"] == t.as_str())),
        "mock-thinker reasons"
    );
}

/// The demo reads like a real project: every path is under `/home/dev/src/greeter`, none
/// under the recorder's temporary directory, in every event (session, tools, diffs).
#[test]
fn paths_read_like_a_real_project() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo.jsonl")).unwrap();
    assert!(!text.contains("/tmp"), "a temporary path in the demo");
    assert!(!text.contains("tmp."), "a mktemp name in the demo");
    let events = events();
    let dirs: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "session.updated" || e["type"] == "session.created")
        .filter_map(|e| e["properties"]["info"]["directory"].as_str())
        .collect();
    assert!(!dirs.is_empty());
    assert!(
        dirs.iter().all(|d| *d == "/home/dev/src/greeter"),
        "{dirs:?}"
    );
    let cwds: Vec<&str> = events
        .iter()
        .filter_map(|e| e["properties"]["info"]["path"]["cwd"].as_str())
        .collect();
    assert!(!cwds.is_empty());
    assert!(
        cwds.iter().all(|d| *d == "/home/dev/src/greeter"),
        "{cwds:?}"
    );
}
