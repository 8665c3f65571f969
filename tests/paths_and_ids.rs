//! Paths as git prints them (DESIGN §4): relative to the current folder
//! for people, to the top of the repository in machine formats; every
//! `<id>` also takes a record's path; an id two records share is an error
//! naming both.

mod support;

use support::demo::{FOUNDING, FOUNDING_PATH};
use support::run;
use support::{git, news_as_reporter, stderr, stdout};

#[test]
fn the_path_new_prints_is_relative_to_the_current_folder_and_taken_back() {
    let (_dir, root) = support::demo_newsroom();
    let below = root.join("articles/2015");
    let output = run(
        &below,
        &[
            "new",
            "--headline",
            "From the 2015 folder",
            "--genre",
            "news",
            "--created",
            "2015-09-25T10:00:00+03:00",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output).trim().to_owned();
    assert_eq!(printed, "09/25/from-the-2015-folder.toml");
    assert!(below.join(&printed).is_file());
    // show, set and edit take the path new printed.
    let shown = run(&below, &["show", &printed]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert!(stdout(&shown).contains("From the 2015 folder"));
    let set = run(&below, &["set", &printed, "section=Politics"]);
    assert!(set.status.success(), "{}", stderr(&set));
    let editor =
        support::editor_script(&root, r#"sed -i 's/^section = .*/section = "World"/' "$1""#);
    let edited = news_as_reporter(&below)
        .env("EDITOR", &editor)
        .args(["edit", &printed])
        .output()
        .unwrap();
    assert!(edited.status.success(), "{}", stderr(&edited));
    assert!(
        std::fs::read_to_string(below.join(&printed))
            .unwrap()
            .contains("section = \"World\"")
    );
    // And from elsewhere, a path that goes up first.
    let up = run(
        &root.join("schema"),
        &["show", &format!("../{FOUNDING_PATH}")],
    );
    assert!(up.status.success(), "{}", stderr(&up));
    // A path that names no record is said as such.
    let missing = run(&below, &["show", "09/25/no-such-record.toml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no article record at 09/25/no-such-record.toml"));
}

#[test]
fn validate_names_paths_from_here_for_people_and_from_the_top_for_machines() {
    let (_dir, root) = support::demo_newsroom();
    support::rewrite(
        &root.join(FOUNDING_PATH),
        "genre = \"opinion\"",
        "genre = \"opinon\"",
    );
    let below = root.join("articles/2015/09");
    let people = run(&below, &["validate"]);
    assert_eq!(people.status.code(), Some(1));
    let relative = format!("--> 23/{FOUNDING}.toml:");
    assert!(stdout(&people).contains(&relative), "{}", stdout(&people));

    let json = run(&below, &["validate", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(findings[0]["path"], FOUNDING_PATH);
    let github = run(&below, &["validate", "--format", "github"]);
    assert!(
        stdout(&github).contains(&format!("file={FOUNDING_PATH},")),
        "{}",
        stdout(&github)
    );
}

#[test]
fn machine_paths_start_at_the_repository_top_when_the_newsroom_is_a_subfolder() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().join("site");
    std::fs::create_dir_all(top.join("newsroom")).unwrap();
    git(&top, &["init", "-q"]);
    let init = run(&top, &["init", "newsroom"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let room = top.join("newsroom");
    let new = run(
        &room,
        &["new", "--headline", "In a subfolder", "--genre", "news"],
    );
    assert!(new.status.success(), "{}", stderr(&new));
    let record = stdout(&new).trim().to_owned();
    support::rewrite(&room.join(&record), "genre = \"news\"", "genre = \"nws\"");
    let json = run(&room, &["validate", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(findings[0]["path"], format!("newsroom/{record}"));
    let people = run(&room, &["validate"]);
    assert!(stdout(&people).contains(&format!("--> {record}:")));
}

#[test]
fn an_id_two_records_share_is_an_error_naming_both_and_a_path_picks_one() {
    let (_dir, root) = support::demo_newsroom();
    let copy = format!("articles/2015/09/24/{FOUNDING}.toml");
    std::fs::copy(root.join(FOUNDING_PATH), root.join(&copy)).unwrap();
    for args in [
        vec!["show", FOUNDING],
        vec!["set", FOUNDING, "section=Twice"],
    ] {
        let output = run(&root, &args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let err = stderr(&output);
        assert!(err.contains(FOUNDING_PATH) && err.contains(&copy), "{err}");
        assert!(err.contains("give the record's path"), "{err}");
    }
    let output = run(&root, &["show", FOUNDING_PATH, "--format", "toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn refusals_name_the_record_from_the_current_folder() {
    let (_dir, root) = support::demo_newsroom();
    support::rewrite(
        &root.join(FOUNDING_PATH),
        "section = ",
        "section = \"Hand\"\n# was ",
    );
    let below = root.join("articles/2015/09");
    let output = run(&below, &["set", FOUNDING, "urgency=2"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!(
            "error: 23/{FOUNDING}.toml has uncommitted changes"
        )),
        "{}",
        stderr(&output)
    );
}

#[test]
fn machine_paths_come_from_the_files_repository_even_from_outside_it() {
    let (dir, root) = support::demo_newsroom();
    support::rewrite(
        &root.join(FOUNDING_PATH),
        "genre = \"opinion\"",
        "genre = \"opinon\"",
    );
    let outside = dir.path().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    let github = run(
        &outside,
        &["validate", root.to_str().unwrap(), "--format", "github"],
    );
    assert!(
        stdout(&github).contains(&format!("file={FOUNDING_PATH},")),
        "{}",
        stdout(&github)
    );
}

#[test]
fn a_record_path_through_a_linked_folder_is_taken() {
    let (dir, root) = support::demo_newsroom();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&root, &link).unwrap();
    let through = link.join(FOUNDING_PATH);
    let output = run(&root.join("articles"), &["show", through.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn init_refuses_a_newsroom_inside_another() {
    let (_dir, root) = support::demo_newsroom();
    let output = run(&root, &["init", "articles/2015"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("a newsroom cannot hold another"));
    assert!(!root.join("articles/2015/news.toml").exists());
}
