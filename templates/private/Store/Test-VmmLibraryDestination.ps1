function Test-VmmLibraryDestination {
    <#
    .SYNOPSIS
        Whether a folder is a library backup destination (Backup-VmmLibraryShare's layout: it holds sets/).
    .PARAMETER Path
        The folder (full path).
    .EXAMPLE
        if (Test-VmmLibraryDestination -Path $full) { 'a library destination' }
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    [System.IO.Directory]::Exists([System.IO.Path]::Combine($Path, 'sets'))
}
