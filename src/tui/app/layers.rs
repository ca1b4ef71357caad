//! What lies over the screen (helix's compositor, as an idea): questions,
//! pick lists, the F1 help and scrolled texts, in a stack. Keys go to the top layer
//! only; layers are drawn from the bottom up, over the screen. A question
//! carries the message each answer sends, so nothing has to remember what
//! was asked.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::event::Key;
use crate::tui::keymap::{CHOICE_PICK_COMMANDS, DIALOG_KEYS, HELP_KEYS, PICK_COMMANDS};
use crate::tui::msg::{Msg, PickFor};
use crate::tui::screen::Command;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{Dialog, TextView};
use crate::tui::widgets::fields::RefKind;
use crate::tui::widgets::help::Help;
use crate::tui::widgets::pick_list::{PickList, PickResult};

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

/// A pick list over a form (or over the dues sheet) and where its answer
/// goes.
pub struct Pick {
    pub list: PickList,
    pub kind: RefKind,
    pub target: PickFor,
}

impl Pick {
    /// The keys of this pick list: F5 adds a record only for a form field.
    fn commands(&self) -> Vec<Command> {
        match self.target {
            PickFor::Field(_) => PICK_COMMANDS.to_vec(),
            PickFor::Choice => CHOICE_PICK_COMMANDS.to_vec(),
        }
    }
}

pub enum Layer {
    Ask(Ask),
    Pick(Pick),
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
            Layer::Pick(p) => match p.list.key(k) {
                PickResult::None => {}
                PickResult::Cancel => {
                    self.stack.pop();
                }
                PickResult::Picked(id, name) => {
                    let target = p.target;
                    self.stack.pop();
                    return Routed::Answer(Msg::Picked { target, id, name });
                }
                PickResult::AddNew if p.target == PickFor::Choice => {}
                PickResult::AddNew => {
                    let kind = p.kind;
                    let name = p.list.filter.value().trim().to_string();
                    if name.is_empty() {
                        return Routed::Answer(Msg::Status(format!(
                            "请先在查找栏输入新{}的名称，再按 F5",
                            kind.what()
                        )));
                    }
                    self.stack.pop();
                    return Routed::Answer(Msg::AddReferenced { kind, name });
                }
            },
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
            Some(Layer::Pick(p)) => {
                p.list.paste(s);
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
                Layer::Pick(p) => p.list.render(f, area, theme),
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
            // The app adds F1 to the pick list's own commands.
            Layer::Pick(_) => None,
            _ => Some(DIALOG_KEYS.to_vec()),
        }
    }

    /// The commands of the top layer when it has its own help (a pick list).
    pub fn commands(&self) -> Option<Vec<Command>> {
        match self.stack.last()? {
            Layer::Pick(p) => Some(p.commands()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(target: PickFor, filter: &str) -> Layers {
        let items = vec![(4, "甲支部".to_string()), (9, "乙支部".to_string())];
        let mut l = Layers::default();
        l.push(Layer::Pick(Pick {
            list: PickList::new("选择党组织", items, filter),
            kind: RefKind::Org,
            target,
        }));
        l
    }

    fn answer(r: Routed) -> Option<Msg> {
        match r {
            Routed::Answer(m) => Some(m),
            _ => None,
        }
    }

    /// Enter on a pick list closes it and sends the name picked to where
    /// it was asked for.
    #[test]
    fn a_pick_list_answers_with_the_record_picked() {
        let mut l = pick(PickFor::Field(3), "");
        assert!(matches!(l.key(Key::Down), Routed::Taken));
        assert_eq!(
            answer(l.key(Key::Enter)),
            Some(Msg::Picked {
                target: PickFor::Field(3),
                id: 9,
                name: "乙支部".to_string()
            })
        );
        assert!(matches!(l.key(Key::Down), Routed::NoLayer), "closed");
    }

    /// F5 adds a record named by the filter (and says so when the filter is
    /// empty, the list staying open); a screen's own choice adds nothing.
    #[test]
    fn f5_in_a_pick_list_adds_only_for_a_field() {
        let mut l = pick(PickFor::Field(0), "");
        assert!(matches!(answer(l.key(Key::F(5))), Some(Msg::Status(_))));
        for c in "丙支部".chars() {
            l.key(Key::Char(c));
        }
        assert_eq!(
            answer(l.key(Key::F(5))),
            Some(Msg::AddReferenced {
                kind: RefKind::Org,
                name: "丙支部".to_string()
            })
        );
        assert!(matches!(l.key(Key::Esc), Routed::NoLayer));
        let mut l = pick(PickFor::Choice, "");
        assert!(matches!(l.key(Key::F(5)), Routed::Taken));
        let cmds = l.commands().unwrap_or_default();
        assert!(cmds.iter().all(|c| c.fkey != Some(5)), "no F5 in its keys");
        assert!(matches!(l.key(Key::Esc), Routed::Taken));
        assert!(matches!(l.key(Key::Esc), Routed::NoLayer), "Esc closed it");
    }
}
