function Test-VmmDscAbsolutePath {
    <#
    .SYNOPSIS
        Whether a path is absolute, so it means the same folder whatever the current folder of the process.
    .DESCRIPTION
        Absolute: a drive and a root (C:\... or C:/...), or a UNC path (\\server\share...). 'C:folder', '\folder'
        and '/folder' are not: on Windows they depend on the current drive or folder. Where the directory separator
        is '/' (PowerShell 7 off Windows) a path starting with '/' is absolute.
    .PARAMETER Path
        The path.
    .EXAMPLE
        Test-VmmDscAbsolutePath -Path 'D:\VmmBackup'   # True
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [AllowEmptyString()]
        [string] $Path
    )

    if ([string]::IsNullOrEmpty($Path)) {
        return $false
    }
    if ($Path -match '^[A-Za-z]:[\\/]') {
        return $true
    }
    if ($Path -match '^[\\/]{2}[^\\/]+[\\/][^\\/]+') {
        return $true
    }
    if ([System.IO.Path]::DirectorySeparatorChar -eq '/' -and $Path.StartsWith('/') -and -not $Path.StartsWith('//')) {
        return $true
    }
    return $false
}
