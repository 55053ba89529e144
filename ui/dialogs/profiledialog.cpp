#include "profiledialog.h"

#include "dburl.h"
#include "icons.h"
#include "profilestore.h"
#include "secretstore.h"
#include "statestore.h"
#include "statuspresentation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>

namespace cpc::ui {

namespace {

struct FieldSpec
{
    QString key;
    QString label;
    QStringList envVars; ///< in the platform's precedence
    std::optional<SecretStore::Kind> secret;
    QString placeholder;
};

const QList<FieldSpec> &fieldSpecs()
{
    static const QList<FieldSpec> specs {
        { QStringLiteral("orgId"),
          ProfileDialog::tr("&Org ID:"),
          { QStringLiteral("MOLECULE_ORG_ID") },
          {},
          ProfileDialog::tr("required") },
        { QStringLiteral("cpUrl"),
          ProfileDialog::tr("&CP URL:"),
          { QStringLiteral("CP_PROVISION_URL"), QStringLiteral("MOLECULE_CP_URL") },
          {},
          QString::fromLatin1(kDefaultCpUrl) },
        { QStringLiteral("dbUrl"),
          ProfileDialog::tr("&Database URL:"),
          { QStringLiteral("CPCONSOLE_DB") },
          {},
          ProfileDialog::tr("sqlite:PATH or postgresql://user@host/db, no password (default: the "
                            "local file)") },
        { QStringLiteral("teamState"),
          ProfileDialog::tr("Team s&tate:"),
          { QStringLiteral("CPCONSOLE_STATE") },
          {},
          ProfileDialog::tr("postgresql://role@host/db shared by the on-call team, no password "
                            "(default: this machine only)") },
        { QStringLiteral("sharedSecret"),
          ProfileDialog::tr("S&hared secret:"),
          { QStringLiteral("MOLECULE_CP_SHARED_SECRET"),
            QStringLiteral("PROVISION_SHARED_SECRET") },
          SecretStore::Kind::SharedSecret,
          {} },
        { QStringLiteral("adminToken"),
          ProfileDialog::tr("Admin &token:"),
          { QStringLiteral("ADMIN_TOKEN") },
          SecretStore::Kind::AdminToken,
          {} },
        { QStringLiteral("adminApiKey"),
          ProfileDialog::tr("Admin &API key:"),
          { QStringLiteral("CP_ADMIN_API_TOKEN") },
          SecretStore::Kind::AdminApiKey,
          {} },
        { QStringLiteral("dbPassword"),
          ProfileDialog::tr("Data&base password:"),
          { QStringLiteral("PGPASSWORD") },
          SecretStore::Kind::DbPassword,
          {} },
    };
    return specs;
}

} // namespace

ProfileDialog::ProfileDialog(const QString &settingsFile, SecretStore *secrets,
                             const QProcessEnvironment &env, const QString &currentProfile,
                             QWidget *parent)
    : QDialog(parent)
    , m_store(std::make_unique<ProfileStore>(settingsFile))
    , m_secrets(secrets)
    , m_env(env)
    , m_current(currentProfile)
{
    setObjectName(QStringLiteral("profileDialog"));
    setWindowTitle(tr("Profiles"));
    auto *v = new QVBoxLayout(this);
    auto *h = new QHBoxLayout;
    v->addLayout(h, 1);

    auto *left = new QVBoxLayout;
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->setMinimumWidth(170);
    left->addWidget(m_list, 1);
    auto *newButton
        = new QPushButton(icon(QStringLiteral("add"), this), QStringLiteral("&New"), this);
    newButton->setObjectName(QStringLiteral("newProfile"));
    connect(newButton, &QPushButton::clicked, this, &ProfileDialog::newProfile);
    m_delete
        = new QPushButton(icon(QStringLiteral("remove"), this), QStringLiteral("De&lete…"), this);
    m_delete->setObjectName(QStringLiteral("deleteProfile"));
    connect(m_delete, &QPushButton::clicked, this, &ProfileDialog::requestDelete);
    auto *lb = new QHBoxLayout;
    lb->addWidget(newButton);
    lb->addWidget(m_delete);
    left->addLayout(lb);
    h->addLayout(left);

    auto *right = new QVBoxLayout;
    auto *formBox = new QGroupBox(tr("Profile"), this);
    auto *form = new QFormLayout(formBox);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *name = new QLineEdit(formBox);
    name->setObjectName(QStringLiteral("name"));
    name->setPlaceholderText(tr("letters, digits, '.', '-', '_'"));
    m_fields.insert(QStringLiteral("name"), name);
    form->addRow(tr("&Name:"), name);

    auto *secretsBox = new QGroupBox(tr("Secrets (OS keychain)"), this);
    auto *sform = new QFormLayout(secretsBox);
    sform->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_keychain = new QLabel(secretsBox);
    m_keychain->setObjectName(QStringLiteral("keychainState"));
    m_keychain->setWordWrap(true);
    sform->addRow(m_keychain);

    for (const FieldSpec &spec : fieldSpecs()) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(spec.key);
        edit->setPlaceholderText(spec.placeholder);
        auto *ov = new QLabel(this);
        ov->setObjectName(QStringLiteral("override:") + spec.key);
        ov->setWordWrap(true);
        QFont f = ov->font();
        f.setItalic(true);
        ov->setFont(f);
        ov->hide();
        auto *box = new QWidget(this);
        auto *bv = new QVBoxLayout(box);
        bv->setContentsMargins(0, 0, 0, 0);
        bv->setSpacing(1);
        bv->addWidget(edit);
        bv->addWidget(ov);
        m_fields.insert(spec.key, edit);
        m_overrides.insert(spec.key, ov);
        if (spec.secret) {
            edit->setEchoMode(QLineEdit::Password);
            edit->setAccessibleName(spec.label);
            sform->addRow(spec.label, box);
        } else {
            form->addRow(spec.label, box);
        }
        connect(edit, &QLineEdit::textChanged, this, &ProfileDialog::updateOverrides);
    }
    m_readOnly = new QCheckBox(
        tr("&Read-only: start with every write (provision, stop, reconcile) off"), formBox);
    m_readOnly->setObjectName(QStringLiteral("readOnly"));
    form->addRow(QString(), m_readOnly);
    m_allowWrites = new QCheckBox(tr("Allow &writes to a PostgreSQL database"), formBox);
    m_allowWrites->setObjectName(QStringLiteral("allowWrites"));
    form->addRow(QString(), m_allowWrites);
    m_production = new QCheckBox(
        tr("&Production: show a red PRODUCTION band while this profile is in use"), formBox);
    m_production->setObjectName(QStringLiteral("production"));
    form->addRow(QString(), m_production);
    m_pollDeadline = new QDoubleSpinBox(formBox);
    m_pollDeadline->setObjectName(QStringLiteral("pollDeadline"));
    m_pollDeadline->setRange(kMinPollDeadlineMs / 1000.0, kMaxPollDeadlineMs / 1000.0);
    m_pollDeadline->setDecimals(1);
    m_pollDeadline->setSingleStep(1.0);
    m_pollDeadline->setSuffix(tr(" s"));
    m_pollDeadline->setValue(kDefaultPollDeadlineMs / 1000.0);
    m_pollDeadline->setToolTip(
        tr("How long a background status check waits for the control plane. Two checks in a "
           "row without an answer declare it unreachable and every status unknown: short, so "
           "a hung CP shows within seconds. Actions keep their own, longer deadline."));
    form->addRow(tr("Status poll deadl&ine:"), m_pollDeadline);
    right->addWidget(formBox);
    right->addWidget(secretsBox);

    auto *effBox
        = new QGroupBox(tr("What the console would use (environment wins over the profile)"), this);
    auto *ev = new QVBoxLayout(effBox);
    m_effective = new QLabel(effBox);
    m_effective->setObjectName(QStringLiteral("effective"));
    m_effective->setWordWrap(true);
    m_effective->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ev->addWidget(m_effective);
    right->addWidget(effBox);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("profileMessage"));
    m_message->setWordWrap(true);
    m_message->hide();
    right->addWidget(m_message);
    h->addLayout(right, 1);

    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(tr("&Save"), QDialogButtonBox::ApplyRole);
    m_save->setObjectName(QStringLiteral("saveProfile"));
    m_switch = buttons->addButton(tr("Save and &use this profile"), QDialogButtonBox::AcceptRole);
    m_switch->setObjectName(QStringLiteral("useProfile"));
    m_switch->setDefault(true);
    auto *close = buttons->addButton(QDialogButtonBox::Close);
    connect(m_save, &QPushButton::clicked, this, [this] { save(); });
    connect(m_switch, &QPushButton::clicked, this, [this] {
        if (!save())
            return;
        Q_EMIT switchRequested(m_loaded);
        accept();
    });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    v->addWidget(buttons);

    m_readOnly->setToolTip(
        tr("The --read-only flag also turns writes off, whatever the profile says."));
    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &n) {
        if (!n.isEmpty() && n != m_loaded)
            load(n);
    });

    const bool keychain = m_secrets && m_secrets->isAvailable();
    if (keychain) {
        m_keychain->setText(
            tr("Stored in the OS keychain, never in the settings file. Leave a field "
               "empty to keep what is stored."));
    } else {
        const QString why = m_secrets ? m_secrets->unavailableReason() : tr("not built in");
        m_keychain->setText(
            tr("⚠ <b>No keychain available</b> (%1). Secrets come from the environment "
               "only: MOLECULE_CP_SHARED_SECRET (or PROVISION_SHARED_SECRET), "
               "ADMIN_TOKEN and CP_ADMIN_API_TOKEN; the database password from "
               "PGPASSWORD or ~/.pgpass.")
                .arg(why.toHtmlEscaped()));
    }
    for (const FieldSpec &spec : fieldSpecs()) {
        if (spec.secret)
            m_fields.value(spec.key)->setEnabled(keychain);
    }

    refreshList(m_current);
    if (m_list->count() == 0)
        newProfile();
    resize(860, 640);
}

ProfileDialog::~ProfileDialog() = default;

QStringList ProfileDialog::profileNames() const
{
    return m_store->names();
}

QString ProfileDialog::selectedName() const
{
    return m_loaded;
}

void ProfileDialog::refreshList(const QString &select)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const QString &n : m_store->names()) {
        auto *item = new QListWidgetItem(n, m_list);
        const ProfileValues p = m_store->load(n);
        if (n == m_current)
            item->setText(n + tr("  (in use)"));
        item->setData(Qt::UserRole, n);
        if (p.production)
            item->setToolTip(QStringLiteral("production"));
    }
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(Qt::UserRole).toString() == select) {
            m_list->setCurrentRow(i);
            load(select);
            return;
        }
    }
    if (m_list->count() > 0) {
        m_list->setCurrentRow(0);
        load(m_list->item(0)->data(Qt::UserRole).toString());
    }
}

void ProfileDialog::selectProfile(const QString &name)
{
    refreshList(name);
}

void ProfileDialog::load(const QString &nameIn)
{
    QString name = nameIn;
    name.remove(tr("  (in use)"));
    const ProfileValues p = m_store->load(name);
    m_loaded = name;
    m_fields.value(QStringLiteral("name"))->setText(name);
    m_fields.value(QStringLiteral("name"))->setReadOnly(true);
    m_fields.value(QStringLiteral("orgId"))->setText(p.orgId);
    m_fields.value(QStringLiteral("cpUrl"))->setText(p.cpUrl);
    // An older version may have saved user:password@: never shown; Save moves it.
    const UrlWithoutPassword db = splitPassword(p.dbUrl);
    m_fields.value(QStringLiteral("dbUrl"))->setText(db.url);
    m_fields.value(QStringLiteral("teamState"))->setText(splitPassword(p.teamStateUrl).url);
    m_readOnly->setChecked(p.readOnly);
    m_allowWrites->setChecked(p.allowWrites);
    m_production->setChecked(p.production);
    m_pollDeadline->setValue(p.pollDeadlineMs / 1000.0);
    for (const FieldSpec &spec : fieldSpecs()) {
        if (!spec.secret)
            continue;
        QLineEdit *e = m_fields.value(spec.key);
        e->clear();
        bool stored = false;
        if (m_secrets && m_secrets->isAvailable()) {
            const auto o = m_secrets->read(name, *spec.secret);
            stored = o.status == SecretStore::Status::Ok && !o.value.isEmpty();
        }
        m_secretStored.insert(spec.key, stored);
        e->setPlaceholderText(stored ? tr("stored in the keychain (type to replace)")
                                     : tr("not stored"));
        if (!m_secrets || !m_secrets->isAvailable())
            e->setPlaceholderText(tr("no keychain: from the environment only"));
    }
    m_delete->setEnabled(true);
    setMessage({}, false);
    if (!db.password.isEmpty() && m_secrets && m_secrets->isAvailable()) {
        m_fields.value(QStringLiteral("dbPassword"))->setText(db.password.reveal());
        setMessage(tr("⚠ This profile's database URL holds a password in the settings "
                      "file. Save moves it to the keychain."),
                   true);
    } else if (!db.password.isEmpty()) {
        setMessage(tr("⚠ This profile's database URL holds a password in the settings "
                      "file, and there is no keychain to keep it: Save removes it. "
                      "Give it through PGPASSWORD, ~/.pgpass or a PGSERVICE entry."),
                   true);
    }
    updateOverrides();
}

void ProfileDialog::newProfile()
{
    m_loaded.clear();
    m_list->clearSelection();
    QLineEdit *name = m_fields.value(QStringLiteral("name"));
    name->setReadOnly(false);
    for (QLineEdit *e : std::as_const(m_fields))
        e->clear();
    m_readOnly->setChecked(false);
    m_allowWrites->setChecked(false);
    m_production->setChecked(false);
    m_pollDeadline->setValue(kDefaultPollDeadlineMs / 1000.0);
    m_delete->setEnabled(false);
    name->setFocus();
    setMessage(tr("New profile: give it a name and an org ID, then Save."), false);
    updateOverrides();
}

bool ProfileDialog::save(QString *errorOut)
{
    const QString name = m_fields.value(QStringLiteral("name"))->text().trimmed();
    const auto fail = [&](const QString &e) {
        setMessage(e, true);
        if (errorOut)
            *errorOut = e;
        return false;
    };
    if (!ProfileStore::isValidName(name))
        return fail(tr("⚠ The name must be 1–64 letters, digits, '.', '-' or '_', "
                       "starting with a letter or digit."));
    if (m_loaded.isEmpty() && m_store->contains(name))
        return fail(tr("⚠ A profile named \"%1\" exists already.").arg(name));
    ProfileValues p;
    p.name = name;
    p.orgId = m_fields.value(QStringLiteral("orgId"))->text().trimmed();
    p.cpUrl = m_fields.value(QStringLiteral("cpUrl"))->text().trimmed();
    // A password typed into the URL goes to the keychain like the password field, never to the
    // settings file; without a keychain there is nowhere safe to keep it.
    const UrlWithoutPassword db = splitPassword(m_fields.value(QStringLiteral("dbUrl"))->text());
    p.dbUrl = db.url.trimmed();
    if (!db.password.isEmpty() && !(m_secrets && m_secrets->isAvailable()))
        return fail(tr("⚠ No keychain: a database password cannot be saved (it would "
                       "sit in the settings file). Take it out of the URL and give it "
                       "through PGPASSWORD, ~/.pgpass or a PGSERVICE entry."));
    QLineEdit *dbPassword = m_fields.value(QStringLiteral("dbPassword"));
    if (!db.password.isEmpty() && dbPassword->text().isEmpty())
        dbPassword->setText(db.password.reveal());
    // The team state's password has no keychain entry: libpq's own places keep it.
    const UrlWithoutPassword team
        = splitPassword(m_fields.value(QStringLiteral("teamState"))->text().trimmed());
    if (!team.password.isEmpty())
        return fail(tr("⚠ Take the password out of the team state URL and give it through "
                       "PGPASSWORD, ~/.pgpass or a PGSERVICE entry."));
    if (!team.url.isEmpty() && !StateStore::isTeamLocation(team.url))
        return fail(tr("⚠ Team state is a postgresql:// URL (leave it empty for this machine "
                       "only)."));
    p.teamStateUrl = team.url;
    p.readOnly = m_readOnly->isChecked();
    p.allowWrites = m_allowWrites->isChecked();
    p.production = m_production->isChecked();
    p.pollDeadlineMs = int(std::lround(m_pollDeadline->value() * 1000));
    if (!p.cpUrl.isEmpty()) {
        const QUrl u(p.cpUrl, QUrl::StrictMode);
        if (!u.isValid() || u.host().isEmpty()
            || (u.scheme() != QLatin1String("https") && u.scheme() != QLatin1String("http")))
            return fail(tr("⚠ The CP URL must be an http(s) URL with a host."));
    }
    m_fields.value(QStringLiteral("dbUrl"))->setText(p.dbUrl);
    m_store->save(p);

    QStringList secretErrors;
    if (m_secrets && m_secrets->isAvailable()) {
        for (const FieldSpec &spec : fieldSpecs()) {
            if (!spec.secret)
                continue;
            QLineEdit *e = m_fields.value(spec.key);
            if (e->text().isEmpty())
                continue; // empty keeps what is stored
            const auto o = m_secrets->write(name, *spec.secret, Secret(e->text()));
            if (!o.ok())
                secretErrors << o.message;
            e->clear();
        }
    }
    m_loaded = name;
    refreshList(name);
    Q_EMIT profilesChanged();
    if (!secretErrors.isEmpty())
        return fail(tr("⚠ Saved the profile, but not its secrets: ")
                    + secretErrors.join(QStringLiteral("; ")));
    setMessage(tr("Saved profile \"%1\".").arg(name), false);
    return true;
}

void ProfileDialog::requestDelete()
{
    if (m_loaded.isEmpty())
        return;
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Delete profile"),
        tr("Delete profile \"%1\" and its secrets in the keychain?").arg(m_loaded),
        QMessageBox::Cancel, this);
    QPushButton *del = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, del] {
        if (box->clickedButton() == del)
            deleteSelected();
    });
    m_deleteConfirm = box;
    box->open();
}

void ProfileDialog::deleteSelected()
{
    if (m_loaded.isEmpty())
        return;
    const QString name = m_loaded;
    m_store->remove(name);
    QString note;
    if (m_secrets && m_secrets->isAvailable()) {
        const auto o = m_secrets->removeAll(name);
        if (!o.ok())
            note = tr(" Its secrets could not be removed: ") + o.message;
    }
    m_loaded.clear();
    refreshList({});
    if (m_list->count() == 0)
        newProfile();
    setMessage(tr("Deleted profile \"%1\".").arg(name) + note, !note.isEmpty());
    Q_EMIT profilesChanged();
}

void ProfileDialog::updateOverrides()
{
    for (const FieldSpec &spec : fieldSpecs()) {
        QString by;
        for (const QString &var : spec.envVars) {
            if (!m_env.value(var).trimmed().isEmpty()) {
                by = var;
                break;
            }
        }
        QLabel *l = m_overrides.value(spec.key);
        l->setText(by.isEmpty() ? QString()
                                : tr("overridden by the environment variable %1").arg(by));
        l->setVisible(!by.isEmpty());
    }

    // The effective configuration, resolved exactly as a session would resolve it.
    ProfileValues p;
    p.name = m_fields.value(QStringLiteral("name"))->text().trimmed();
    p.orgId = m_fields.value(QStringLiteral("orgId"))->text().trimmed();
    p.cpUrl = m_fields.value(QStringLiteral("cpUrl"))->text().trimmed();
    const auto secretFor = [&](const QString &key) {
        const QString typed = m_fields.value(key)->text();
        if (!typed.isEmpty())
            return Secret(typed);
        // A stand-in for "stored in the keychain": only where it comes from matters here.
        return m_secretStored.value(key)
            ? Secret(QStringLiteral("cpc-keychain-placeholder-7f3a9c1e"))
            : Secret();
    };
    p.sharedSecret = secretFor(QStringLiteral("sharedSecret"));
    p.adminToken = secretFor(QStringLiteral("adminToken"));
    p.adminApiKey = secretFor(QStringLiteral("adminApiKey"));
    const auto cfg = resolveConfig(m_env, p, false);
    if (!cfg) {
        m_effective->setText(QStringLiteral("⚠ ") + cfg.error().message.toHtmlEscaped());
        return;
    }
    const auto src = [](const QString &s) {
        return s.isEmpty() ? tr("not set") : s;
    };
    m_effective->setText(tr("Org ID <b>%1</b> from %2<br>CP URL <b>%3</b> from %4<br>"
                            "Shared secret: %5<br>Admin token: %6<br>Admin API key: %7")
                             .arg(cfg->orgId.toHtmlEscaped(), src(cfg->orgIdSource).toHtmlEscaped(),
                                  cfg->baseUrl.toString().toHtmlEscaped(),
                                  src(cfg->baseUrlSource).toHtmlEscaped(),
                                  src(cfg->sharedSecretSource).toHtmlEscaped(),
                                  src(cfg->adminTokenSource).toHtmlEscaped(),
                                  src(cfg->adminApiKeySource).toHtmlEscaped()));
}

void ProfileDialog::setMessage(const QString &text, bool error)
{
    m_message->setText(text);
    QPalette p = palette();
    if (error)
        p.setColor(QPalette::WindowText, colors::error);
    m_message->setPalette(p);
    m_message->setVisible(!text.isEmpty());
}

QString ProfileDialog::overrideText(const QString &field) const
{
    const QLabel *l = m_overrides.value(field);
    return l && !l->isHidden() ? l->text() : QString();
}

QString ProfileDialog::keychainText() const
{
    return m_keychain->text();
}

QString ProfileDialog::effectiveText() const
{
    return m_effective->text();
}

QString ProfileDialog::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

bool ProfileDialog::secretsEditable() const
{
    return m_fields.value(QStringLiteral("sharedSecret"))->isEnabled();
}

} // namespace cpc::ui
