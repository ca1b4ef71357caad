//! The commands shared by several screens (a list of records, a record's
//! form, a pick list) and by the app (F1, F10, digits), each with its F-key
//! label for the bar at the bottom (`1帮助 3查找 5新增 …`) and its help
//! line. Screens add their own commands (覆盖单位, 走访, 转正 …) in their
//! files; the bar and the F1 help are drawn from the same list.

use crate::tui::screen::Command;

/// A list of records.
pub const LIST_COMMANDS: &[Command] = &[
    Command::keys("上下 PgUp PgDn", "移动；Home/End 到首条/末条"),
    Command::keys("回车", "打开记录"),
    Command::f(
        3,
        "查找",
        "F3 /",
        "查找：中文、拼音首字母（xhq）或全拼；直接输入文字也可",
    ),
    Command::f(4, "筛选", "F4", "筛选：依次切换预设条件"),
    Command::f(5, "新增", "F5 Insert", "新增（沿用上一条的部分内容）"),
    Command::f(6, "排序", "F6", "排序：依次按各列升序、降序"),
    Command::f(
        8,
        "作废",
        "F8 Delete",
        "作废（按 Y 确认，默认取消），可在回收站恢复",
    ),
];

/// A sub-list (覆盖单位, 联系单位 …) goes back with Esc.
pub const SUB_LIST_BACK: Command = Command::keys("Esc", "返回上一级列表");

/// A record's form.
pub const FORM_COMMANDS: &[Command] = &[
    Command::keys("Tab 回车 下", "下一栏（最后一栏回车：保存）"),
    Command::keys("Shift+Tab 上", "上一栏"),
    Command::f(6, "保存", "F6 Ctrl+S", "保存（一次完成，出错时文字保留）"),
    Command::f(
        7,
        "选择",
        "F7",
        "引用栏：打开选择列表（可拼音筛选，F5 新增）",
    ),
    Command::keys("空格 / 数字", "选项栏：切换 / 选第几项"),
    Command::keys(
        "日期栏",
        "可写 2026-10-15、20261015、1015、10.15、10月15日、15、+3、-3",
    ),
    Command::keys("= / -", "日期栏：后一天 / 前一天"),
    Command::keys(
        "Esc",
        "离开；有未保存内容时询问 保存(Y) 不保存(N) 返回(Esc)",
    ),
    Command::keys("Ctrl+U", "清空本栏"),
];

/// An open pick list.
pub const PICK_COMMANDS: &[Command] = &[
    Command::keys("输入文字", "筛选：中文、拼音首字母或全拼"),
    Command::keys("上下 回车", "移动 / 选中"),
    Command::f(
        5,
        "新增",
        "F5",
        "新增一条：名称取筛选栏的文字，保存后回到原表单并选中",
    ),
    Command::keys("Esc", "返回表单，不选"),
];

/// A pick list choosing for the screen itself (the dues sheet's org):
/// nothing is added from it.
pub const CHOICE_PICK_COMMANDS: &[Command] = &[
    Command::keys("输入文字", "筛选：中文、拼音首字母或全拼"),
    Command::keys("上下 回车", "移动 / 选中"),
    Command::keys("Esc", "返回，不换组织"),
];

/// The app's own commands, on every screen: first in the help and on the bar.
pub const HELP_COMMAND: Command = Command::f(1, "帮助", "F1 ? ？", "本屏帮助（可输入文字筛选）");

/// F2 from a list.
pub const BIN_COMMAND: Command = Command::f(2, "回收站", "F2", "回收站：恢复或彻底删除");

/// Undo and redo, where no text field has focus.
pub const UNDO_COMMAND: Command =
    Command::keys("Ctrl+Z / Ctrl+Y", "撤销 / 重做上一次保存的修改（可多次）");

/// The app's commands after the screen's.
pub const GLOBAL_COMMANDS: &[Command] = &[
    Command::keys(
        "1 至 8",
        "切换屏幕：概览 单位 党组织 党员 指导员 三会一课 经费 报表",
    ),
    Command::f(10, "退出", "F10", "退出（有未保存的内容时先询问）"),
    Command::keys("Esc 再按数字", "等同 F1–F10（没有 F 键的键盘）"),
];

/// A question or a scrolled text over the screen.
pub const DIALOG_KEYS: &[(u8, &str)] = &[(10, "退出")];

/// The help box.
pub const HELP_KEYS: &[(u8, &str)] = &[(1, "关闭帮助"), (10, "退出")];
