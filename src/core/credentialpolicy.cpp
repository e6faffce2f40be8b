#include "credentialpolicy.h"

#include <QCoreApplication>
#include <QSet>

namespace CredentialPolicy {

QString nameProblem(QStringView name)
{
    if (name.isEmpty())
        return QCoreApplication::translate("CredentialPolicy", "The name is empty.");
    if (name.size() > kMaxNameLength)
        return QCoreApplication::translate("CredentialPolicy",
                                           "The name is longer than %1 characters.")
            .arg(kMaxNameLength);
    if (name.startsWith(u'-'))
        return QCoreApplication::translate("CredentialPolicy", "The name cannot start with '-'.");
    for (const QChar c : name) {
        const bool allowed = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                             (c >= u'0' && c <= u'9') || c == u'.' || c == u'_' || c == u'-' ||
                             c == u'@';
        if (!allowed)
            return QCoreApplication::translate(
                "CredentialPolicy",
                "The name may hold only letters, digits and the characters . _ - @.");
    }
    return {};
}

QString passwordProblem(QStringView userName, QStringView password)
{
    if (password.size() < kMinPasswordLength)
        return QCoreApplication::translate("CredentialPolicy",
                                           "The password is shorter than %1 characters.")
            .arg(kMinPasswordLength);
    if (password.size() > kMaxPasswordLength)
        return QCoreApplication::translate("CredentialPolicy",
                                           "The password is longer than %1 characters.")
            .arg(kMaxPasswordLength);
    if (userName.size() >= 3 && password.contains(userName, Qt::CaseInsensitive))
        return QCoreApplication::translate("CredentialPolicy",
                                           "The password contains the user name.");
    // Catches "aaaaaaaaaa", "1212121212" and keyboard runs typed twice; length does the rest.
    QSet<QChar> distinct;
    for (const QChar c : password)
        distinct.insert(c.toLower());
    if (distinct.size() < 5)
        return QCoreApplication::translate("CredentialPolicy",
                                           "The password repeats too few different characters.");
    static const QStringList kCommon{
        QStringLiteral("1234567890"),  QStringLiteral("0123456789"),
        QStringLiteral("qwertyuiop"),  QStringLiteral("1q2w3e4r5t"),
        QStringLiteral("password1"),   QStringLiteral("password12"),
        QStringLiteral("password123"), QStringLiteral("iloveyou12"),
        QStringLiteral("letmein123"),  QStringLiteral("welcome123"),
        QStringLiteral("changeme123"), QStringLiteral("administrator"),
    };
    if (kCommon.contains(password.toString().toLower()))
        return QCoreApplication::translate("CredentialPolicy",
                                           "The password is one of the most common ones.");
    return {};
}

} // namespace CredentialPolicy
