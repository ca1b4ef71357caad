//! What lies over the screen (helix's compositor, as an idea): questions,
//! the F1 help and scrolled texts, in a stack. Keys go to the top layer
//! only; layers are drawn from the bottom up, over the screen. A question
//! carries the message each answer sends, so nothing has to remember what
//! was asked.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::event::Key;
use crate::tui::keymap::{DIALOG_KEYS, HELP_KEYS};
use crate::tui::msg::Msg;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{Dialog, TextView};
use crate::tui::widgets::help::Help;

/// A question and what each answer sends (an answer not listed sends
/// nothing: the question just closes).
pub struct Ask {
    pub dialog: Dialog,
    answers: Vec<(char, Msg)>,
}

impl Ask {
    pub fn new(dialog: Dialog) -> Self {
        Ask {
            dialog,
            answers: Vec::new(),
        }
    }

    /// The message answer `key` sends.
    pub fn on(mut self, key: char, msg: Msg) -> Self {
        self.answers.push((key, msg));
        self
    }

    /// The message of the answer given, if it has one.
    fn answered(self, key: char) -> Option<Msg> {
        self.answers
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, m)| m)
    }
}

pub enum Layer {
    Ask(Ask),
    Help(Help),
    View(TextView),
}

/// What a key did to the top layer.
pub enum Routed {
    /// No layer is open: the key is for the screen.
    NoLayer,
    /// A layer took it.
    Taken,
    /// A question was answered with this message.
    Answer(Msg),
}

#[derive(Default)]
pub struct Layers {
    stack: Vec<Layer>,
}

impl Layers {
    pub fn push(&mut self, l: Layer) {
        self.stack.push(l);
    }

    /// A question is open.
    pub fn asking(&self) -> bool {
        self.stack.iter().any(|l| matches!(l, Layer::Ask(_)))
    }

    /// The title of the top question (tests).
    pub fn question(&self) -> Option<&str> {
        self.stack.iter().rev().find_map(|l| match l {
            Layer::Ask(a) => Some(a.dialog.title.as_str()),
            _ => None,
        })
    }

    /// The top layer takes the key.
    pub fn key(&mut self, k: Key) -> Routed {
        let Some(top) = self.stack.last_mut() else {
            return Routed::NoLayer;
        };
        match top {
            Layer::Ask(a) => {
                if let Some(answer) = a.dialog.key(k)
                    && let Some(Layer::Ask(a)) = self.stack.pop()
                    && let Some(m) = a.answered(answer)
                {
                    return Routed::Answer(m);
                }
            }
            Layer::Help(h) => {
                if !h.key(k) {
                    self.stack.pop();
                }
            }
            Layer::View(v) => match k {
                Key::Esc | Key::F(10) => {
                    self.stack.pop();
                }
                other => v.key(other),
            },
        }
        Routed::Taken
    }

    /// Pasted text: the help's filter takes it; questions and texts ignore
    /// it. False when no layer is open.
    pub fn paste(&mut self, s: &str) -> bool {
        match self.stack.last_mut() {
            None => false,
            Some(Layer::Help(h)) => {
                for c in s.chars().filter(|c| !c.is_control()) {
                    h.key(Key::Char(c));
                }
                true
            }
            Some(_) => true,
        }
    }

    /// Draws every layer from the bottom up; the caret is the top layer's.
    pub fn render(
        &mut self,
        f: &mut Frame,
        area: Rect,
        theme: &Theme,
        below: Option<(u16, u16)>,
    ) -> Option<(u16, u16)> {
        let mut cursor = below;
        for l in &mut self.stack {
            cursor = match l {
                Layer::Ask(a) => {
                    a.dialog.render(f, area, theme);
                    None
                }
                Layer::Help(h) => h.render(f, area, theme),
                Layer::View(v) => {
                    v.render(f, area, theme);
                    None
                }
            };
        }
        cursor
    }

    /// The F-key bar of the top layer (None: the screen's).
    pub fn bar(&self) -> Option<Vec<(u8, &'static str)>> {
        match self.stack.last()? {
            Layer::Help(_) => Some(HELP_KEYS.to_vec()),
            _ => Some(DIALOG_KEYS.to_vec()),
        }
    }
}
