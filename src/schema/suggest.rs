//! Did-you-mean hints for misspelt keys, tags and values.

/// The candidate closest to `input`, if it is close enough to be what the
/// user meant. Case is ignored for the comparison.
pub fn did_you_mean<'c>(
    input: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let input = input.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&input, &candidate.to_lowercase());
            (candidate, score)
        })
        .filter(|(_, score)| *score >= 0.8)
        .max_by(|(_, left), (_, right)| left.total_cmp(right))
        .map(|(candidate, _)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_close_candidate() {
        let keys = ["disclaimer", "dateline", "headline", "id"];
        assert_eq!(did_you_mean("dsclaimer", keys), Some("disclaimer"));
        assert_eq!(did_you_mean("hedline", keys), Some("headline"));
        assert_eq!(
            did_you_mean("Kurils islands", ["Kuril Islands", "Japan"]),
            Some("Kuril Islands")
        );
        assert_eq!(did_you_mean("weather", keys), None);
    }
}
