//! The CCEAA member registry: the alliance's rules (its charter) and their storage, with no
//! desktop or command-line code. The Tauri app and the `cceaa` CLI are thin shells over this
//! crate, so everything a user can do is a function here and is tested here.

pub mod activity;
pub mod application;
pub mod attachment;
pub mod audit;
pub mod certificate;
pub mod contact;
pub mod dashboard;
pub mod db;
pub mod documents;
pub mod error;
pub mod exchange;
pub mod field;
#[doc(hidden)]
pub mod fuzzing;
pub mod labelled;
pub mod lang;
pub mod listing;
pub mod member;
pub mod notice;
pub mod paths;
pub mod presidium;
pub mod rotation;
pub mod text;
pub mod timeline;
pub mod uscc;
pub mod vocabulary;
pub mod watchlist;

pub use activity::{
    Activity, ActivityDetail, ActivityInput, ActivityKind, Attendance, ExcusedPeriod, WatchRow,
};
pub use application::{
    Application, ApplicationDetail, ApplicationEvent, ApplicationInput, ApplicationRow,
    ApplicationState, Decision, Flag,
};
pub use attachment::{Attachment, Purpose};
pub use audit::{AuditAction, AuditEntry, Change, Stamp};
pub use certificate::Certificate;
pub use db::{
    Approval, DocumentImages, DocumentRequest, FormSource, Owner, Preview, Registry, Verification,
};
pub use error::{Error, ErrorReport, Problem, Result};
pub use field::Field;
pub use lang::{Lang, Text};
pub use listing::{LiaisonPeriod, MemberDetail, MemberPage, MemberQuery, MemberRow, Sort};
pub use member::{Kind, Member, MemberInput, MemberRef, Origin, Person, Status, Tier};
pub use notice::{Notice, NoticeKind, Template};
pub use presidium::{
    CastVote, ChairTerm, Motion, MotionInput, MotionKind, PresidiumView, Rotation, VoteChoice,
};
pub use timeline::{LeaveInput, LeaveReason, TimelineEvent, TimelineKind};
pub use vocabulary::{AppInfo, Labelled, Vocabulary, WorkflowSettings};
