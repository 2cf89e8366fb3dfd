function Find-VmmLinkInPath {
    <#
    .SYNOPSIS
        Returns the first symbolic link, junction or mount point met on the way from a folder down to a file
        below it (the folders in between, and the file itself when it is a symbolic link), or $null when there
        is none: a write to that file would then land where the link leads, outside the folder.
    .DESCRIPTION
        Only existing components are looked at (a folder still to be created cannot be a link). The root
        folder itself is not checked: the caller resolved it on purpose. A file that is a reparse point
        without a link target (a deduplicated or cloud file) is not a link. (A restore plans its many files with
        the store's compiled walk, RestorePlan, which follows the same rules and asks this function about a
        file that is a reparse point.)
    .PARAMETER Root
        The folder the writes must stay in (full path, no trailing separator).
    .PARAMETER Path
        The file to be written, a full path below Root.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Root,

        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $reparse = [int][System.IO.FileAttributes]::ReparsePoint
    $relative = $Path.Substring($Root.Length).TrimStart('\', '/')
    $parts = @($relative.Split([char[]]@('\', '/'), [System.StringSplitOptions]::RemoveEmptyEntries))
    $current = $Root
    for ($i = 0; $i -lt $parts.Count; $i++) {
        $current = [System.IO.Path]::Combine($current, $parts[$i])
        $isFile = $i -eq $parts.Count - 1
        $attributes = [int](New-Object -TypeName System.IO.FileInfo -ArgumentList $current).Attributes
        if ($attributes -eq -1) { return $null }
        if (($attributes -band $reparse) -ne 0) {
            if (-not $isFile) { return $current }
            $item = Get-Item -LiteralPath $current -Force -ErrorAction SilentlyContinue
            if ($null -ne $item -and -not [string]::IsNullOrEmpty((@($item.Target) | Select-Object -First 1))) { return $current }
        }
    }
    $null
}
