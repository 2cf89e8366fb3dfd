function Resolve-VmmBackupPath {
    <#
    .SYNOPSIS
        Returns the full path of a backup folder, refusing a root directory (C:\, \\server\share, /) as the
        specification requires, and creating the folder when -Create is given.
    .PARAMETER Path
        The folder.
    .PARAMETER Create
        Create the folder when it does not exist.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [switch] $Create
    )

    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $trimmed = Assert-VmmNotRootDirectory -FullPath $full -Path $Path
    if ($Create -and -not (Test-Path -LiteralPath $full -PathType Container)) {
        $null = New-Item -ItemType Directory -Path $full -Force -ErrorAction Stop
    }
    $trimmed
}
