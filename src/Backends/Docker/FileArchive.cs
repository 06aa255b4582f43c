using System.Formats.Tar;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

/// <summary>A container's files as the tar archive the engine extracts into it (<c>PUT /containers/{id}/archive</c>,
/// at <c>/</c>) between create and start: each file at its target, with its mode, owned by root. The engine makes the
/// missing folders above a target.</summary>
internal static class FileArchive
{
    public static MemoryStream Of(IReadOnlyList<ContainerFileSpec> files)
    {
        var archive = new MemoryStream();
        using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, file.Target.TrimStart('/'))
                {
                    Mode = (UnixFileMode)file.Mode,
                    Uid = 0,
                    Gid = 0,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(file.Content, writable: false),
                };
                writer.WriteEntry(entry);
            }
        }
        archive.Position = 0;
        return archive;
    }
}
