//! dialoguer prompts, only for values no flag gave, only on a terminal.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Editor, FuzzySelect, Input, MultiSelect};
use news::editorial::{Desk, Draft};

use super::CommandError;

fn prompt_error(error: dialoguer::Error) -> CommandError {
    CommandError::refused(format!("the prompt failed: {error}"))
        .with_hint("give the values as flags instead")
}

/// Asks for every field of `draft` that is still empty.
pub fn complete_draft(draft: &mut Draft, desk: &Desk, author: &str) -> Result<(), CommandError> {
    let theme = ColorfulTheme::default();
    if draft.headline.trim().is_empty() {
        draft.headline = Input::with_theme(&theme)
            .with_prompt("Headline")
            .validate_with(|text: &String| -> Result<(), &str> {
                let length = text.trim().chars().count();
                if length == 0 || length > 200 {
                    Err("a headline is one line of 1 to 200 characters")
                } else {
                    Ok(())
                }
            })
            .interact_text()
            .map_err(prompt_error)?;
    }
    let genres = desk.schema().article().allowed_values(&["genre"]);
    if draft.genre.is_empty() && genres.is_empty() {
        draft.genre = Input::with_theme(&theme)
            .with_prompt("Genre")
            .interact_text()
            .map_err(prompt_error)?;
    } else if draft.genre.is_empty() {
        let chosen = FuzzySelect::with_theme(&theme)
            .with_prompt("Genre")
            .items(&genres)
            .default(0)
            .interact()
            .map_err(prompt_error)?;
        draft.genre = genres[chosen].to_owned();
    }
    if draft.byline.is_empty() {
        let byline: String = Input::with_theme(&theme)
            .with_prompt("Byline (names separated by ;)")
            .default(author.to_owned())
            .interact_text()
            .map_err(prompt_error)?;
        draft.byline = byline
            .split(';')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect();
    }
    if draft.tags.is_empty()
        && let Some(vocabulary) = desk.schema().vocabulary()
    {
        let names: Vec<&str> = vocabulary.names().collect();
        let chosen = MultiSelect::with_theme(&theme)
            .with_prompt("Tags (space to choose, enter to go on)")
            .items(&names)
            .interact()
            .map_err(prompt_error)?;
        draft.tags = chosen
            .into_iter()
            .map(|index| names[index].to_owned())
            .collect();
    }
    let optional = |label: &str,
                    value: &mut Option<String>,
                    default: Option<&str>|
     -> Result<(), CommandError> {
        if value.is_some() {
            return Ok(());
        }
        let mut input = Input::<String>::with_theme(&theme)
            .with_prompt(label)
            .allow_empty(true);
        if let Some(default) = default {
            input = input.default(default.to_owned());
        }
        let answer = input.interact_text().map_err(prompt_error)?;
        *value = Some(answer).filter(|answer| !answer.trim().is_empty());
        Ok(())
    };
    optional("Section (optional)", &mut draft.section, None)?;
    optional(
        "Dateline place, like MOSCOW (optional)",
        &mut draft.place,
        None,
    )?;
    let disclaimer = desk
        .newsroom()
        .config()
        .disclaimers
        .get(&draft.genre)
        .cloned();
    if disclaimer.is_some() {
        optional("Disclaimer", &mut draft.disclaimer, disclaimer.as_deref())?;
    }
    if draft.body.is_none() {
        draft.body = Editor::new()
            .extension(".md")
            .edit("")
            .map_err(prompt_error)?
            .filter(|body| !body.trim().is_empty());
    }
    Ok(())
}
