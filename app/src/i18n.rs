//! The interface's language: Chinese by default, English when the browser
//! prefers it (`navigator.languages`) or the person chooses it; the choice is
//! remembered in browser storage. Texts of domain rules (validation messages)
//! come from `chengnuo_domain::messages`, shared with the server.

use chengnuo_domain::Locale;
use leptos::prelude::*;

const STORAGE_KEY: &str = "chengnuo.locale";

#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// For code outside the reactive graph (the sync loop).
    pub fn locale_untracked(&self) -> Locale {
        self.locale.get_untracked()
    }

    pub fn choose(&self, locale: Locale) {
        // Not remembering the choice (storage disabled) still switches this visit.
        let _ = crate::json::store(STORAGE_KEY, &locale);
        self.locale.set(locale);
    }

    pub fn text(&self, text: impl Catalogue) -> &'static str {
        text.in_locale(self.locale.get())
    }
}

pub fn provide_i18n() -> I18n {
    let initial = crate::json::stored::<Locale>(STORAGE_KEY).unwrap_or_else(browser_preference);
    let i18n = I18n {
        locale: RwSignal::new(initial),
    };
    Effect::new(move |_| {
        let locale = i18n.locale();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", locale.tag());
            }
        }
    });
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Names the screen in the browser's title (and for screen readers):
/// "the screen · 承诺", renewed when the language or the screen's text changes.
pub fn screen_title(screen: impl Fn(I18n) -> String + Send + Sync + 'static) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let title = format!("{} · {}", screen(i18n), i18n.text(Text::AppName));
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&title);
        }
    });
}

/// The language of a text people typed, for `lang`: Chinese when it has
/// Chinese characters (the interface may be in English), else none said.
pub fn user_lang(text: &str) -> Option<&'static str> {
    text.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c))
        .then_some("zh-CN")
}

fn browser_preference() -> Locale {
    let Some(window) = web_sys::window() else {
        return Locale::default();
    };
    let tags: Vec<String> = window
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect();
    Locale::from_preferences(tags.iter().map(String::as_str))
}

/// A catalogue of texts in both languages: the shared one (`Text`, in the
/// first load) and each screen's own (`Words`, in the screen's part, so
/// that a member's phone does not download a secretary's sentences).
pub trait Catalogue: Copy {
    fn in_locale(self, locale: Locale) -> &'static str;
}

macro_rules! texts {
    ($catalogue:ident; $($name:ident => $zh:literal, $en:literal;)*) => {
        /// Texts of the interface, in both languages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $catalogue { $($name,)* }

        impl $crate::i18n::Catalogue for $catalogue {
            fn in_locale(self, locale: ::chengnuo_domain::Locale) -> &'static str {
                <$catalogue>::in_locale(self, locale)
            }
        }

        impl $catalogue {
            pub fn in_locale(self, locale: ::chengnuo_domain::Locale) -> &'static str {
                // Two tables indexed by the variant: far less code in the wasm than a match.
                const ZH: &[&str] = &[$($zh,)*];
                const EN: &[&str] = &[$($en,)*];
                match locale {
                    ::chengnuo_domain::Locale::Zh => ZH[self as usize],
                    ::chengnuo_domain::Locale::En => EN[self as usize],
                }
            }
        }
    };
}
pub(crate) use texts;

texts! {
    Text;
    AppName => "承诺", "Chengnuo";
    MainContent => "主要内容", "Main content";
    Navigation => "主导航", "Main navigation";
    SignIn => "登录", "Sign in";
    Language => "语言", "Language";
    HomeHeading => "公开承诺与考核评议", "Public commitments and assessment";
    HomeIntro => "基层党组织和党员在这里起草公开承诺书、审核、签署、公示，逐项践诺销号，并接受领导点评、群众评议和组织考核。没有网络时也能起草，联网后自动同步。",
        "Party organizations and members draft their public commitments here, have them reviewed, sign and publish them, fulfil them item by item, and are assessed by leaders, by the masses and by the organization. Drafting works without a network; everything syncs when you are back online.";
    StepsHeading => "工作步骤", "The steps";
    StepDraft => "调研起草承诺", "Consult and draft";
    StepReview => "组织审核", "Review by the parent unit";
    StepSign => "书面签署", "Sign the approved text";
    StepPublish => "公开公示（不少于7天）", "Publish (at least 7 days)";
    StepReport => "报送上级", "Report upward";
    StepFulfil => "践诺销号", "Fulfil and cross off";
    StepEvaluate => "考核评议", "Assess and grade";
    StepRectify => "限期整改", "Rectify what is left";
    SignInHeading => "登录", "Sign in";
    Login => "账号", "Account";
    Password => "密码", "Password";
    SignInButton => "登录", "Sign in";
    SignInHint => "首次登录需要联网；之后没有网络也能使用。", "The first sign-in needs a network; afterwards the app works offline too.";
    SignOut => "退出", "Sign out";
    SigningIn => "正在登录…", "Signing in…";
    SignInOffline => "现在没有网络。首次登录需要联网，请联网后再试。", "There is no network. The first sign-in needs one; please try again when online.";
    Online => "在线", "Online";
    Offline => "离线", "Offline";
    Waiting => "条修改待同步", "change(s) waiting to sync";
    AllSynced => "已全部同步", "Everything is synced";
    LastSync => "上次同步", "Last sync";
    Never => "尚未同步", "never";
    SyncNow => "立即同步", "Sync now";
    Syncing => "正在同步…", "Syncing…";
    SignInAgain => "登录已过期，请重新登录；本机未同步的内容都还在。", "Your session ended. Sign in again; nothing unsynced on this device is lost.";
    SessionEnded => "登录已过期", "Session ended";
    NotSyncedYet => "尚未同步，联网后载入", "Not synced yet: connect to load";
    Unreachable => "无法连接服务器，{n} 秒后重试", "Could not reach the server; retrying in {n} s";
    ConflictsWaiting => "处冲突待合并", "merge(s) waiting for you";
    RefusedWaiting => "份承诺书有未被接受的修改", "commitment(s) with a change not accepted";
    StorageFull => "本机存储空间已满，刚才的修改还没有保存在本机：它们仍在屏幕上，联网后照常发送。请删除手机上不需要的照片、视频或应用以腾出空间，或导出未同步内容保存为文件；有空间后会自动保存。", "This device's storage is full: your latest changes are not saved on it yet. They are still on screen and will be sent when online. Free some space (photos, videos, apps you do not need) or export your unsynced work to a file; they are saved as soon as there is room.";
    StorageFailed => "无法保存到本机存储（浏览器拒绝了写入，可能处于无痕模式或存储被禁用），刚才的修改还没有保存在本机：它们仍在屏幕上，联网后照常发送。请导出未同步内容保存为文件。", "Could not save to this device's storage (the browser refused: private mode, or storage disabled). Your latest changes are not saved on it yet; they are still on screen and will be sent when online. Export your unsynced work to a file.";
    Saving => "正在保存到本机…", "Saving on this device…";
    NotSavedYet => "还没有保存在本机", "Not saved on this device yet";
    ClockDiffers => "这部手机的时间与服务器相差约 {n} 分钟。日期按服务器的时间计算；请在手机设置中校准时间。", "This phone's clock differs from the server's by about {n} minutes. Dates follow the server's clock; please set the phone's time.";
    StatusSynced => "已同步", "Synced";
    StatusWaiting => "待同步", "Waiting to sync";
    StatusConflict => "有冲突，需合并", "Conflict: merge needed";
    StatusRefused => "修改未被接受", "Change not accepted";
    MyCommitment => "我的公开承诺书", "My public commitment";
    TodoHeading => "待办", "To do";
    RemindersNew => "新的待办事项：", "New things to do: ";
    RemindersTurnOn => "开启提醒", "Turn on reminders";
    RemindersOn => "提醒已开启：有新的待办时本机会通知您。", "Reminders are on: this device tells you when there is something new to do.";
    ClaimsAll => "全部销号申请", "All claims";
    ProgressCrossedOff => "已销号", "Crossed off";
    ProgressDue => "已到期", "Due";
    CrossedOffOn => "销号于", "crossed off on";
    NavAdmin => "管理", "Administration";
    CircularsLink => "通报与简报", "Notices and bulletins";
    NavDashboard => "督查", "Supervision";
    NavBallotCodes => "群众评议码", "Ballot codes";
    RefusedDismiss => "知道了", "Got it";
    TodoNothing => "眼下没有待办事项。", "Nothing to do right now.";
    TodoOverdue => "已逾期", "Overdue";
    TodoDraftLate => "起草已截止，承诺书尚未提交", "Drafting has ended and this is not submitted";
    TodoDueSoon => "即将到期", "Due soon";
    TodoDeadline => "完成时限", "Deadline";
    TodoClaimWaiting => "申请销号，待确认", "Claimed done, waiting for you";
    TodoReviewWaiting => "待审核", "Waiting for your review";
    TodoWindowCloses => "截止", "closes on";
    PhaseDraft => "起草承诺", "Drafting";
    PhaseReport => "报送承诺材料", "Sending the report package";
    PhaseQuarterlyRound => "季度考核评议", "The quarterly assessment round";
    PhaseAnnualRound => "年度集中考核评议", "The annual assessment round";
    PhaseReview => "审核承诺", "Review";
    PhaseSign => "签署承诺", "Signing";
    PhasePublish => "公开承诺", "Publication";
    StartCommitment => "开始起草", "Start drafting";
    Open => "打开", "Open";
    NoCycle => "当前没有进行中的年度承诺。", "No cycle is under way.";
    DraftWindow => "起草时间", "Drafting";
    ReviewWindow => "审核时间", "Review";
    StateDraft => "起草中", "Draft";
    StateSubmitted => "已提交，待审核", "Submitted for review";
    StateReturned => "已退回修改", "Returned for revision";
    StateApproved => "已审核通过", "Approved";
    StateSigned => "已签署", "Signed";
    StatePublished => "已公示", "Published";
    NeedsSummary => "调研情况（师生的意愿和需求）", "What teachers and students asked for (consultation)";
    NeedsSummaryHint => "承诺前深入师生征求意见，把师生意愿和需求作为承诺的重要内容。", "Consult teachers and students first; their wishes are the heart of the commitment.";
    Items => "承诺事项", "Commitment items";
    Item => "事项", "Item";
    Area => "承诺方向", "Content area";
    ChooseArea => "请选择", "Choose…";
    Content => "承诺事项", "What you commit to";
    Measures => "具体措施", "Concrete measures";
    Deadline => "完成时限", "Deadline";
    Target => "可检验的目标（选填）", "A checkable target (optional)";
    PracticalDeed => "这是为师生办的实事", "This is a practical deed for teachers and students";
    AddItem => "添加事项", "Add an item";
    MoveUp => "上移", "Move up";
    MoveDown => "下移", "Move down";
    Remove => "删除", "Remove";
    Standards => "对照的标准", "Standards it serves";
    Submit => "提交审核", "Submit for review";
    SubmitQueued => "已提交；联网后送达。", "Submitted; it reaches the server when online.";
    SavedLocally => "已保存在本机", "Saved on this device";
    ReadOnly => "此承诺书已提交或已定稿，不能修改。", "This commitment is submitted or final and cannot be changed.";
    Guidance => "审核意见", "Reviewer's guidance";
    HigherStandard => "干部党员带头承诺，内容和标准要高于普通党员。", "Cadres commit first, to a higher standard than ordinary members.";
    ConflictHeading => "这份承诺书在别处也被修改了", "This commitment was changed elsewhere too";
    Reviews => "审核", "Review";
    Approve => "审核通过", "Approve";
    Return => "退回修改", "Return for revision";
    Refused => "服务器未接受：", "The server refused: ";
    StepNotTaken => "“{step}”未执行：这份承诺书在别处先被修改了。请查看最新内容后再决定。", "“{step}” was not taken: the commitment was changed elsewhere first. Look at the latest text and decide again.";
    Understood => "知道了", "Understood";
    TooLongToSync => "有内容超出了长度限制（见下方提示）；缩短后才会同步，本机的内容都保留着。", "Some text is longer than the form allows (see below); it syncs once shortened, and everything stays on this device.";
    StepQueued => "已记录在本机；联网后送达。", "Recorded on this device; it reaches the server when online.";
    Withdraw => "撤回修改", "Withdraw to edit";
    WithdrawHint => "还没有人审核，可以撤回后继续修改。", "Nobody has reviewed it yet: you can withdraw it and edit it again.";
    SetAsideHeading => "合并时未采用的版本", "Versions set aside while merging";
    Back => "返回", "Back";
    Export => "导出未同步内容", "Export unsynced work";
    Import => "导入", "Import";
    ImportDone => "已导入。", "Imported.";
    ImportFailed => "文件无法读取。", "The file could not be read.";
    ImportNotLoaded => "导入功能在本设备上需先联网使用一次，之后离线也能使用。", "Importing needs a network connection the first time on this device; after that it works offline too.";
    ImportFilesNotKept => "已导入，但有附件无法保存在本设备（存储空间不足）；相关记录会提示。", "Imported, but some files could not be kept on this device (storage full); their entries will say so.";
    SignOutWarning => "还有未同步的修改。退出后它们仍保存在本机，但请先同步或导出。", "Some changes are not synced yet. They stay on this device after signing out, but sync or export them first.";
    SignOutAnyway => "仍然退出", "Sign out anyway";
    Cancel => "取消", "Cancel";
    UpdateReady => "新版本已就绪。", "A new version is ready.";
    Reload => "重新加载", "Reload";
    Install => "安装到手机桌面", "Install the app";
    NotFoundHeading => "页面不存在", "Page not found";
    NotFoundBody => "您要找的页面不存在或已移动。", "The page you are looking for does not exist or has moved.";
    BackHome => "返回首页", "Back to the home page";
    NotLoadedHeading => "此页面尚未下载", "This screen is not on this device yet";
    NotLoadedPartBody => "这一部分在本设备上还没有下载，需联网打开一次，之后离线也能使用。您填写的内容都已保存在本设备上。", "This part of the page is not on this device yet. Open it once with a network connection; after that it works offline too. Everything you typed is kept on this device.";
    NotLoadedBody => "此页面在本设备上还没有打开过，需联网打开一次，之后离线也能使用。您的草稿都已保存在本设备上。", "This screen has not been opened on this device before. Open it once with a network connection; after that it works offline too. Your drafts are all kept on this device.";
    TryAgain => "重试", "Try again";
    NavBoard => "公开栏", "Public board";
    NavInbox => "消息", "Inbox";
    NavReports => "报送", "Reports";
    UnreadCount => "条未读", "unread";
    Sign => "确认定稿并签字", "Confirm the final text and sign";
    SignHint => "签字后承诺书定稿并编号，不能再修改。", "Signing fixes the text and gives it its number; it can no longer be changed.";
    SignQueued => "签字已记录；联网后送达。", "Signature recorded; it reaches the server when online.";
    Print => "打印承诺书", "Print the commitment";
    PrintNow => "打印 / 存为 PDF", "Print / save as PDF";
    PrintTitle => "公开承诺书", "Public commitment";
    FormNumber => "编号", "Number";
    FormCommitter => "承诺主体", "Committer";
    FormCategory => "类别", "Category";
    FormUnit => "所在党组织", "Party organization";
    FormReviewer => "审核党组织", "Reviewed by";
    FormReviewOpinion => "审核意见：同意", "Review: approved";
    FormApprovedOn => "审核通过日期", "Approved on";
    FormSignature => "承诺人（签字）", "Signature of the committer";
    FormSeal => "审核党组织（盖章）", "Seal of the reviewing organization";
    FormDate => "日期", "Date";
    FormNumberColumn => "序号", "No.";
    PublishHeading => "公示", "Publication";
    DisplayStart => "公示开始日期", "On display from";
    DisplayEnd => "公示结束日期", "On display until";
    Publish => "发布公示", "Publish";
    PublishQueued => "公示已记录；联网后送达。", "Publication recorded; it reaches the server when online.";
    InboxHeading => "消息", "Inbox";
    InboxEmpty => "暂无消息。", "No messages.";
    Unread => "未读", "Unread";
    ReturnedNotice => "承诺书被退回修改", "Your commitment was returned for revision";
    ApprovedNotice => "承诺书已审核通过，请确认签字", "Your commitment was approved: please sign it";
    BoardHeading => "公开栏", "Public board";
    SearchLabel => "搜索承诺人或承诺内容", "Search names and items";
    NeedsConnection => "此操作需要联网。", "This needs a connection.";
    ServerUnreachable => "暂时无法连接服务器，请稍后再试。", "The server cannot be reached right now; try again later.";
    SkipToContent => "跳到主要内容", "Skip to the main content";
    Dashboard => "工作台", "Dashboard";
    NotSyncedYetLong => "本机尚未与服务器同步，年度承诺的安排将在联网同步后显示。", "This device has not synced yet: the year's schedule appears once it has synced online.";
    CycleName => "{year}—{next}年度公开承诺", "{year}–{next} public commitments";
    ReportDeadline => "报送截止", "Deadline";
    Late => "逾期", "Late";
    ArchiveHeading => "党员承诺书存档", "Members' commitments (archive)";
}
