function New-VmmCopyEngine {
    <#
    .SYNOPSIS
        Returns a new copy engine of the library store: the per-file work of a library backup or restore (copy
        with SHA-256, change detection, rename into place, journal) run in compiled code on several threads.
    .DESCRIPTION
        The engine is the store's compiled code (Get-VmmLibraryStoreType: C# 5 and .NET Framework 4.6.2 APIs
        only, compiled once per session).

        Backup engine (-Kind Backup): AddKnown (entries of the previous complete set), LoadJournal (records of an
        interrupted run of the same set), OpenJournal, Add (one listed file), then Start and Wait. Each file is
        skipped when the previous set or the journal already holds it (same size and time, or same size and
        SHA-256) and its object is present; otherwise it is copied to objects/tmp under a new name while its
        SHA-256 is computed, checked against its size and time before and after (a file that changed while it
        was copied is copied once more, then recorded as Failed), and renamed to objects/<xx>/<sha256>. Each
        file that cost a copy or a hash is appended to the journal (one JSON object per line).

        Restore engine (-Kind Restore): Add (object, target, SHA-256, length, time), Start and Wait. Each file is
        left alone when the target already holds the same bytes, refused when it differs (unless -Force), or
        copied to a temporary name in the target folder, checked against its SHA-256, given its time and renamed
        into place.

        Both run on Workers threads (default: the number of processors, at least 2 and at most 4), stop taking new files after
        a destination write failure (Fatal) or Cancel, report BytesDone and FilesDone for one progress bar, and
        queue every item the caller must report (TryTakeFinished: a file that failed or differs) so that errors are
        reported while the work goes on (Wait-VmmCopyEngine).
    .PARAMETER Kind
        Backup or Restore.
    .PARAMETER ObjectsRoot
        Backup: the objects folder of the destination.
    .PARAMETER TemporaryRoot
        Backup: the folder for copies in progress (objects/tmp).
    .PARAMETER IgnoreCase
        Backup: file paths compare without case (Windows).
    .PARAMETER Force
        Restore: overwrite target files that differ from the backup.
    .EXAMPLE
        $engine = New-VmmCopyEngine -Kind Backup -ObjectsRoot $objects -TemporaryRoot $tmp -IgnoreCase:$onWindows
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateSet('Backup', 'Restore')]
        [string] $Kind,

        [string] $ObjectsRoot,

        [string] $TemporaryRoot,

        [switch] $IgnoreCase,

        [switch] $Force
    )


    $namespace = Get-VmmLibraryStoreType
    if ($Kind -eq 'Backup') {
        New-Object -TypeName ($namespace + '.BackupEngine') -ArgumentList $ObjectsRoot, $TemporaryRoot, ([bool]$IgnoreCase)
    } else {
        New-Object -TypeName ($namespace + '.RestoreEngine') -ArgumentList ([bool]$Force)
    }
}
