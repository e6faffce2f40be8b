#include "categorymapping.h"

// The first five queues are named by the product brief. The other five are mapped as a support
// manager would route them: outages are technical work, returns and refunds are money, and
// everything about selling, staffing or general questions goes to general support.
static const std::array<CategoryMapping::Entry, 10> kQueueTable{{
    {QLatin1String("Technical Support"), Category::Technical},
    {QLatin1String("IT Support"), Category::Technical},
    {QLatin1String("Billing and Payments"), Category::Billing},
    {QLatin1String("Customer Service"), Category::General},
    {QLatin1String("Product Support"), Category::General},
    {QLatin1String("Service Outages and Maintenance"), Category::Technical},
    {QLatin1String("Returns and Exchanges"), Category::Billing},
    {QLatin1String("Sales and Pre-Sales"), Category::General},
    {QLatin1String("Human Resources"), Category::General},
    {QLatin1String("General Inquiry"), Category::General},
}};

const std::array<CategoryMapping::Entry, 10> &CategoryMapping::table()
{
    return kQueueTable;
}

std::optional<Category> CategoryMapping::categoryForQueue(QStringView queue)
{
    // Exports of the dataset differ in case and stray spaces; the queue names themselves do not.
    const QStringView trimmed = queue.trimmed();
    for (const Entry &entry : kQueueTable) {
        if (trimmed.compare(entry.queue, Qt::CaseInsensitive) == 0)
            return entry.category;
    }
    return std::nullopt;
}
