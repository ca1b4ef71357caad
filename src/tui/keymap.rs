//! The function keys each kind of context offers, with their Chinese
//! labels for the bar at the bottom (`1帮助 3查找 5新增 …`). Screens add
//! their own extra keys (覆盖单位, 走访, 转正 …) in their files.

/// A list of records.
pub const LIST_KEYS: &[(u8, &str)] = &[
    (1, "帮助"),
    (2, "回收站"),
    (3, "查找"),
    (4, "筛选"),
    (5, "新增"),
    (6, "排序"),
    (8, "作废"),
    (10, "退出"),
];

/// A record's form.
pub const FORM_KEYS: &[(u8, &str)] = &[(1, "帮助"), (6, "保存"), (7, "选择"), (10, "退出")];

/// An open pick list.
pub const PICK_KEYS: &[(u8, &str)] = &[(1, "帮助"), (5, "新增"), (10, "退出")];

/// A question or a scrolled text over the screen.
pub const DIALOG_KEYS: &[(u8, &str)] = &[(10, "退出")];

/// The help box.
pub const HELP_KEYS: &[(u8, &str)] = &[(1, "关闭帮助"), (10, "退出")];

/// Common keys plus a screen's extra ones, in key order.
pub fn merged(
    common: &[(u8, &'static str)],
    extra: &[(u8, &'static str)],
) -> Vec<(u8, &'static str)> {
    let mut v: Vec<(u8, &'static str)> = common.to_vec();
    v.extend_from_slice(extra);
    v.sort_by_key(|k| k.0);
    v
}
