//! Moving through an assessment's indicators across theme ends: `j`/`k`, and the step to
//! the next indicator after a score or a confirmation.

use super::assessment::AssessmentScreen;

impl AssessmentScreen {
    /// How many indicators each theme of the open assessment has.
    fn theme_sizes(&self) -> Vec<usize> {
        self.view.as_ref().map_or_else(Vec::new, |v| {
            v.model
                .themes
                .iter()
                .map(|t| t.criteria.iter().map(|c| c.indicators.len()).sum())
                .collect()
        })
    }

    /// The next indicator, into the next theme at a theme's end; says whether it moved.
    pub fn step_down(&mut self) -> bool {
        let sizes = self.theme_sizes();
        let here = sizes.get(self.theme).copied().unwrap_or(0);
        if self.sel + 1 < here {
            self.sel += 1;
            return true;
        }
        match (self.theme + 1..sizes.len()).find(|t| sizes[*t] > 0) {
            Some(t) => {
                self.theme = t;
                self.sel = 0;
                true
            }
            None => false,
        }
    }

    /// The previous indicator, into the previous theme's last at a theme's start.
    pub fn step_up(&mut self) -> bool {
        if self.sel > 0 {
            self.sel -= 1;
            return true;
        }
        let sizes = self.theme_sizes();
        match (0..self.theme.min(sizes.len()))
            .rev()
            .find(|t| sizes[*t] > 0)
        {
            Some(t) => {
                self.theme = t;
                self.sel = sizes[t] - 1;
                true
            }
            None => false,
        }
    }

    /// After `indicator` was scored or confirmed: on to the next one, if it is still the
    /// selected one.
    pub fn advance_from(&mut self, indicator: &str) {
        if self.selected().is_some_and(|i| i.id == indicator) {
            self.step_down();
        }
    }
}
