#pragma once

#include "config.h"

#include <QDialog>
#include <QHash>
#include <QPointer>
#include <QProcessEnvironment>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QMessageBox;
class QPushButton;

namespace cpc {
class ProfileStore;
class SecretStore;
} // namespace cpc

namespace cpc::ui {

/// Creates, edits, deletes and switches profiles. Plain values go to QSettings (ProfileStore),
/// the three secrets to the keychain (SecretStore). Beside each field it says when the
/// environment overrides it and with which variable, and at the bottom what the console would
/// actually use and where each value comes from. Without a keychain it says so, and the secret
/// fields are disabled: the secrets then come from the environment only.
class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    ProfileDialog(const QString &settingsFile, SecretStore *secrets, const QProcessEnvironment &env,
                  const QString &currentProfile, QWidget *parent = nullptr);
    ~ProfileDialog() override;

    QStringList profileNames() const;
    QString selectedName() const;
    void selectProfile(const QString &name);
    /// Starts a new, unsaved profile.
    void newProfile();
    /// Saves the form; false with a reason shown in the dialog (and returned).
    bool save(QString *error = nullptr);
    /// Asks (non-blocking) before deleting the selected profile; see deleteConfirmation().
    void requestDelete();
    /// Deletes the selected profile and its keychain secrets, without asking.
    void deleteSelected();
    QMessageBox *deleteConfirmation() const { return m_deleteConfirm; }

    /// "overridden by MOLECULE_ORG_ID" or "" — for "orgId", "cpUrl", "dbUrl",
    /// "sharedSecret", "adminToken", "adminApiKey".
    QString overrideText(const QString &field) const;
    QString keychainText() const;
    QString effectiveText() const;
    QString messageText() const;
    bool secretsEditable() const;
    QLineEdit *field(const QString &name) const { return m_fields.value(name); }
    QCheckBox *readOnlyBox() const { return m_readOnly; }
    QCheckBox *productionBox() const { return m_production; }
    QDoubleSpinBox *pollDeadlineBox() const { return m_pollDeadline; }
    QPushButton *switchButton() const { return m_switch; }

Q_SIGNALS:
    void switchRequested(const QString &name);
    void profilesChanged();

private:
    void load(const QString &name);
    void refreshList(const QString &select);
    void updateOverrides();
    void setMessage(const QString &text, bool error);

    std::unique_ptr<ProfileStore> m_store;
    SecretStore *m_secrets;
    QProcessEnvironment m_env;
    QString m_current;
    QString m_loaded; ///< the profile in the form; empty for a new one
    QListWidget *m_list;
    QHash<QString, QLineEdit *> m_fields;
    QHash<QString, QLabel *> m_overrides;
    QHash<QString, bool> m_secretStored;
    QCheckBox *m_readOnly;
    QCheckBox *m_allowWrites;
    QCheckBox *m_production;
    QDoubleSpinBox *m_pollDeadline;
    QLabel *m_keychain;
    QLabel *m_effective;
    QLabel *m_message;
    QPushButton *m_save;
    QPushButton *m_delete;
    QPushButton *m_switch;
    QPointer<QMessageBox> m_deleteConfirm;
};

} // namespace cpc::ui
